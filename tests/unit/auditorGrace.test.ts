import { describe, expect, it } from 'vitest'
import { AGENT_EVENT_TYPES, type AgentEventType } from '../../src/shared/agentEvents'
import { IsolationAuditor } from '../../src/main/runtime/audit/isolationAuditor'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'

const context = (run: string) => ({ user_id: 'alice', thread_id: 't', run_id: run, request_id: 'q' })
const delivered = (run: string, type: 'agent_started' | 'agent_thinking') => ({
  event_id: `${run}-${type}`,
  type,
  user_id: 'alice',
  run_id: run,
  emitted_at: performance.now()
})

describe('IsolationAuditor grace period', () => {
  it('judges a completed run once its grace has passed, without finalize, and only then', async () => {
    const bus = new InspectionBus()
    const auditor = new IsolationAuditor(bus, { missingGraceMs: 150 })
    for (const run of ['r1', 'r2']) {
      bus.emit({ kind: 'run_started', context: context(run) })
      auditor.recordDelivery(
        { user_id: 'alice', connection_id: 'c' },
        delivered(run, 'agent_started'),
        performance.now()
      )
      bus.emit({ kind: 'run_completed', run_id: run, user_id: 'alice', emitted: 5 })
    }
    const missing = () => bus.snapshot().filter((event) => event.kind === 'events_missing')
    await new Promise((resolve) => setTimeout(resolve, 40))
    expect(missing()).toEqual([])
    // a late delivery inside the grace still counts
    auditor.recordDelivery(
      { user_id: 'alice', connection_id: 'c' },
      delivered('r1', 'agent_thinking'),
      performance.now()
    )
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(
      missing().map((event) => event.kind === 'events_missing' && [event.run_id, event.received])
    ).toEqual([
      ['r1', ['agent_started', 'agent_thinking']],
      ['r2', ['agent_started']]
    ])
    expect(auditor.runsWithMissingEvents).toBe(2)
    auditor.close()
  })
})

describe('IsolationAuditor bookkeeping', () => {
  const owner = { user_id: 'alice', connection_id: 'c' }
  const event = (run: string, type: AgentEventType) => ({
    event_id: `${run}-${type}`,
    type,
    user_id: 'alice',
    run_id: run,
    emitted_at: performance.now()
  })
  const deliver = (auditor: IsolationAuditor, run: string, types: readonly AgentEventType[]) => {
    for (const type of types) auditor.recordDelivery(owner, event(run, type), performance.now())
  }

  it('lets go of a run as soon as its owner has every event in order, however long the grace', () => {
    const bus = new InspectionBus()
    const auditor = new IsolationAuditor(bus, { missingGraceMs: 60_000 })
    bus.emit({ kind: 'run_started', context: context('whole') })
    bus.emit({ kind: 'run_started', context: context('short') })
    bus.emit({ kind: 'run_started', context: context('shuffled') })
    expect(auditor.pendingRuns).toBe(3)
    for (const run of ['whole', 'short', 'shuffled'])
      bus.emit({ kind: 'run_completed', run_id: run, user_id: 'alice', emitted: 5 })
    deliver(auditor, 'whole', AGENT_EVENT_TYPES.slice(0, 3))
    expect(auditor.pendingRuns).toBe(3)
    deliver(auditor, 'whole', AGENT_EVENT_TYPES.slice(3))
    deliver(auditor, 'short', AGENT_EVENT_TYPES.slice(0, 4))
    deliver(auditor, 'shuffled', [...AGENT_EVENT_TYPES].reverse())
    // 'whole' is judged (and fine); the other two wait out their grace in case their events are late.
    expect(auditor.pendingRuns).toBe(2)
    auditor.finalize()
    expect(auditor.pendingRuns).toBe(0)
    expect([auditor.runsWithMissingEvents, auditor.runsOutOfOrder]).toEqual([1, 1])
    const flagged = bus
      .snapshot()
      .flatMap((line) =>
        line.kind === 'events_missing' || line.kind === 'events_out_of_order'
          ? [[line.kind, line.run_id]]
          : []
      )
    expect(flagged).toEqual([
      ['events_missing', 'short'],
      ['events_out_of_order', 'shuffled']
    ])
    auditor.close()
  })

  it('lets go of a run whose events all arrived before it completed', () => {
    const bus = new InspectionBus()
    const auditor = new IsolationAuditor(bus, { missingGraceMs: 60_000 })
    bus.emit({ kind: 'run_started', context: context('early') })
    deliver(auditor, 'early', AGENT_EVENT_TYPES)
    expect(auditor.pendingRuns).toBe(1)
    bus.emit({ kind: 'run_completed', run_id: 'early', user_id: 'alice', emitted: 5 })
    expect(auditor.pendingRuns).toBe(0)
    auditor.finalize()
    expect([auditor.runsWithMissingEvents, auditor.runsOutOfOrder]).toEqual([0, 0])
    auditor.close()
  })
})
