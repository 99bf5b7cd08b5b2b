import { afterEach, describe, expect, it } from 'vitest'
import { AGENT_EVENT_TYPES } from '../../src/shared/agentEvents'
import { startHarness } from '../helpers/runtimeHarness'

type Harness = Awaited<ReturnType<typeof startHarness>>
let harness: Harness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

describe('per-user isolation on the healthy runtime', () => {
  it('10 concurrent users x 3 runs: each receives exactly its own 15 events, in order, and nothing else', async () => {
    harness = await startHarness({ seed: 42 })
    const h = harness
    const { connected, failed } = await h.connect(10)
    expect(failed).toEqual([])
    expect(connected).toHaveLength(10)
    h.pool.startRuns(3)
    await h.until('150 deliveries', () => h.runtime.auditor.delivered >= 150)
    await h.until('30 completed runs', () => h.events('run_completed').length === 30)

    for (const user of connected) {
      const entries = h.received.get(user.user_id) ?? []
      expect(entries).toHaveLength(15)
      expect(entries.every((entry) => entry.event.user_id === user.user_id)).toBe(true)
      const byRun = new Map<string, string[]>()
      for (const { event } of entries)
        byRun.set(event.run_id, [...(byRun.get(event.run_id) ?? []), event.type])
      expect(byRun.size).toBe(3)
      for (const types of byRun.values()) expect(types).toEqual([...AGENT_EVENT_TYPES])
      // every run of this user belongs to this user's thread
      for (const runId of byRun.keys()) expect(runId.startsWith(`run_${user.context.thread_id}_`)).toBe(true)
    }
    h.runtime.auditor.finalize()
    expect(h.runtime.auditor.violations).toBe(0)
    expect(h.runtime.auditor.runsWithMissingEvents).toBe(0)
    expect(h.events('isolation_violation')).toEqual([])
    expect(h.events('events_missing')).toEqual([])
  })

  it('creates one isolated manager per user and closes each when its user leaves: created equals closed', async () => {
    harness = await startHarness()
    const h = harness
    const { connected } = await h.connect(5)
    expect(h.runtime.factory.stats).toEqual({ created: 5, closed: 0, active: 5 })
    const created = h.events('manager_created')
    expect(created.map((event) => event.kind === 'manager_created' && event.mode)).toEqual(
      Array(5).fill('isolated')
    )
    expect(
      new Set(created.map((event) => event.kind === 'manager_created' && event.context?.user_id))
    ).toEqual(new Set(connected.map((user) => user.user_id)))
    h.pool.startRuns(1)
    await h.until('5 completed runs', () => h.events('run_completed').length === 5)

    await h.pool.disconnect(connected[0]!.user_id)
    await h.until('first manager closed', () => h.runtime.factory.stats.closed === 1)
    await h.pool.close()
    await h.until('every manager closed', () => h.runtime.factory.stats.closed === 5)
    expect(h.runtime.factory.stats).toEqual({ created: 5, closed: 5, active: 0 })
    expect(h.events('user_disconnected')).toHaveLength(5)
  })

  it('emits the inspection stream in order with sequence numbers and timestamps', async () => {
    harness = await startHarness()
    const h = harness
    await h.connect(2)
    h.pool.startRuns(1)
    await h.until('10 deliveries', () => h.runtime.auditor.delivered >= 10)
    const stream = h.runtime.bus.snapshot()
    expect(stream.map((event) => event.seq)).toEqual(stream.map((_, index) => index))
    expect(stream.every((event, index) => index === 0 || event.ts >= stream[index - 1]!.ts)).toBe(true)
    const kinds = new Set(stream.map((event) => event.kind))
    for (const kind of [
      'phase_transition',
      'contract_check',
      'module_loaded',
      'manager_created',
      'user_connected',
      'run_started',
      'agent_event_emitted',
      'agent_event_delivered',
      'run_completed'
    ]) {
      expect(kinds).toContain(kind)
    }
  })
})

describe('the start-up trace', () => {
  it("puts each phase's events after the transition into that phase", async () => {
    harness = await startHarness()
    const stream = harness.runtime.bus.snapshot()
    const transitionTo = (state: string) =>
      stream.findIndex((event) => event.kind === 'phase_transition' && event.to === state)
    const firstOf = (kind: string) => stream.findIndex((event) => event.kind === kind)
    expect(transitionTo('initialization')).toBeLessThan(firstOf('module_loaded'))
    expect(transitionTo('readiness')).toBeLessThan(firstOf('contract_check'))
    expect(firstOf('contract_check')).toBeLessThan(transitionTo('ready'))
  })
})
