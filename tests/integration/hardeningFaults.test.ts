import { afterEach, describe, expect, it } from 'vitest'
import { AGENT_EVENT_TYPES } from '../../src/shared/agentEvents'
import type { InspectionEventOf } from '../../src/shared/inspection'
import type { DeliveredEvent, Receiver } from '../../src/main/runtime/audit/isolationAuditor'
import { Runtime } from '../../src/main/runtime/runtime'
import { InProcessUserPool } from '../../src/main/runtime/users/inProcessUserPool'
import { WorkerUserPool } from '../../src/main/runtime/users/workerUserPool'
import type { JudgedDeliveries } from '../../src/main/runtime/users/workerProtocol'
import { startHarness } from '../helpers/runtimeHarness'

type Harness = Awaited<ReturnType<typeof startHarness>>
let harness: Harness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

/** No receiver ever got another user's event: checked on the raw deliveries and on the auditor's stream. */
function expectNoCrossUserEvent(h: Harness): void {
  for (const [receiver, entries] of h.received)
    for (const { event } of entries) expect([receiver, event.user_id]).toEqual([receiver, receiver])
  expect(h.events('isolation_violation')).toEqual([])
}

function disconnectsOf(h: Harness, userId: string) {
  return h
    .events('user_disconnected')
    .filter((event): event is InspectionEventOf<'user_disconnected'> => event.kind === 'user_disconnected')
    .filter((event) => event.user_id === userId)
}

describe('a simulated user killed mid-run', () => {
  it('is reported (1006, its run missing events), its manager closes, and no one else is touched', async () => {
    harness = await startHarness({ stepDelayMs: 25, seed: 21 })
    const h = harness
    const { connected } = await h.connect(3)
    const [victim, ...others] = connected.map((user) => h.pool.user(user.user_id)!)
    h.pool.startRuns(2)
    await h.until('the victim is mid-run', () => h.typesFor(victim!.userId).length >= 2)
    victim!.kill()
    await h.until('every run completes', () => h.events('run_completed').length === 6)
    // run_completed is emitted as the last event leaves; wait for the others' deliveries to land before judging.
    await h.until('the others receive their events', () =>
      others.every((other) => h.typesFor(other!.userId).length === 2 * AGENT_EVENT_TYPES.length)
    )
    h.runtime.auditor.finalize()

    expect(disconnectsOf(h, victim!.userId)).toEqual([expect.objectContaining({ code: 1006 })])
    const missing = h
      .events('events_missing')
      .filter((event): event is InspectionEventOf<'events_missing'> => event.kind === 'events_missing')
    expect(missing.length).toBeGreaterThanOrEqual(1)
    expect(missing.every((event) => event.user_id === victim!.userId)).toBe(true)
    for (const other of others) {
      const byRun = new Map<string, string[]>()
      for (const { event } of h.received.get(other!.userId) ?? [])
        byRun.set(event.run_id, [...(byRun.get(event.run_id) ?? []), event.type])
      expect([...byRun.values()]).toEqual([[...AGENT_EVENT_TYPES], [...AGENT_EVENT_TYPES]])
    }
    expect(h.runtime.factory.stats).toMatchObject({ created: 3, closed: 1 })
    expectNoCrossUserEvent(h)

    // After the fault: the same user comes back on a new connection and gets only its own events.
    await h.pool.disconnect(victim!.userId)
    const again = await h.pool.connect([{ userId: victim!.userId, url: h.runtime.userUrl(victim!.userId) }])
    expect(again.failed).toEqual([])
    const before = h.typesFor(victim!.userId).length
    h.pool.startRuns(1, victim!.userId)
    await h.until('the returning user is served', () => h.typesFor(victim!.userId).length === before + 5)
    expectNoCrossUserEvent(h)
    await h.pool.close()
    await h.until('created equals closed', () => h.runtime.factory.stats.active === 0)
    expect(h.runtime.factory.stats).toEqual({ created: 4, closed: 4, active: 0 })
  })
})

describe('the runtime server restarted mid-run', () => {
  it('is reported, drops every user (1006), closes every manager, then serves reconnected users in isolation', async () => {
    harness = await startHarness({ stepDelayMs: 25, seed: 22 })
    const h = harness
    const { connected } = await h.connect(3)
    const users = connected.map((user) => h.pool.user(user.user_id)!)
    const port = h.runtime.server.port
    h.pool.startRuns(1)
    await h.until('runs in flight', () => h.runtime.auditor.delivered >= 3)
    await h.runtime.restartServer()

    const restart = h
      .events('warning')
      .find((event) => event.kind === 'warning' && event.code === 'server_restarted')
    expect(restart).toMatchObject({ message: expect.stringContaining('dropping 3 connection(s) mid-run') })
    await h.until('every user sees the drop', () => users.every((user) => user.closeStatus !== null))
    expect(users.map((user) => user.closeStatus?.code)).toEqual([1006, 1006, 1006])
    await h.until('every manager closed', () => h.runtime.factory.stats.active === 0)
    expect(h.runtime.factory.stats).toEqual({ created: 3, closed: 3, active: 0 })
    for (const user of users) expect(disconnectsOf(h, user.userId)).toHaveLength(1)
    await h.until('the interrupted runs complete', () => h.events('run_completed').length === 3)
    h.runtime.auditor.finalize()
    expect(h.events('events_missing')).toHaveLength(3)
    expectNoCrossUserEvent(h)

    // Same port, same token: the users reconnect and everything works, isolated.
    expect(h.runtime.server.port).toBe(port)
    for (const user of users) await h.pool.disconnect(user.userId)
    const back = await h.pool.connect(
      users.map((user) => ({ userId: user.userId, url: h.runtime.userUrl(user.userId) }))
    )
    expect(back.failed).toEqual([])
    const before = new Map(users.map((user) => [user.userId, h.typesFor(user.userId).length]))
    h.pool.startRuns(2)
    await h.until('six more runs', () => h.events('run_completed').length === 9)
    await h.until('their events', () =>
      users.every((user) => h.typesFor(user.userId).length === (before.get(user.userId) ?? 0) + 10)
    )
    expectNoCrossUserEvent(h)
    await h.pool.close()
    await h.until('created equals closed', () => h.runtime.factory.stats.active === 0)
    expect(h.runtime.factory.stats).toEqual({ created: 6, closed: 6, active: 0 })
  })
})

describe('a worker thread of simulated users crashing', () => {
  let runtime: Runtime | undefined
  afterEach(async () => {
    await runtime?.close()
    runtime = undefined
  })

  it('is reported as a crash, every one of its connections and managers is closed, and nothing leaks', async () => {
    runtime = await Runtime.start({ seed: 23, stepDelayMs: 20, missingGraceMs: 60_000 })
    const rt = runtime
    const deliveries: Array<{ receiver: Receiver; owner: string }> = []
    const sink = (receiver: Receiver, event: DeliveredEvent, receivedAt: number): void => {
      deliveries.push({ receiver, owner: event.user_id })
      rt.auditor.recordDelivery(receiver, event, receivedAt)
    }
    // The worker judges its users' deliveries; the auditor adds up what it judged.
    let workerDelivered = 0
    const crashes: string[] = []
    const judged = (batch: JudgedDeliveries): void => {
      workerDelivered += batch.latencies.length
      rt.auditor.recordJudged(batch)
    }
    const pool = new WorkerUserPool(judged, (error) => {
      crashes.push(error.message)
      rt.bus.emit({ kind: 'warning', code: 'user_worker_crashed', message: error.message })
    })
    const ids = Array.from({ length: 20 }, () => rt.ids.userId())
    const outcome = await pool.connect(ids.map((userId) => ({ userId, url: rt.userUrl(userId) })))
    expect(outcome.connected).toHaveLength(20)
    pool.startRuns(2)
    const deadline = Date.now() + 10_000
    while (workerDelivered < 20 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5))
    pool.crash()

    await expect.poll(() => crashes.length).toBe(1)
    expect(crashes[0]).toMatch(/^user worker crashed: /)
    expect(pool.failed?.message).toBe(crashes[0])
    expect(
      rt.bus.snapshot().filter((event) => event.kind === 'warning' && event.code === 'user_worker_crashed')
    ).toHaveLength(1)
    // Its sockets died with it: every connection is reported gone and every manager closed.
    await expect.poll(() => rt.server.openSockets, { timeout: 10_000 }).toBe(0)
    await expect.poll(() => rt.factory.stats.active).toBe(0)
    expect(rt.factory.stats).toEqual({ created: 20, closed: 20, active: 0 })
    const gone = rt.bus.snapshot().filter((event) => event.kind === 'user_disconnected')
    expect(gone).toHaveLength(20)
    expect(gone.every((event) => event.kind === 'user_disconnected' && event.code === 1006)).toBe(true)
    await expect(pool.connect([{ userId: 'late', url: rt.userUrl('late') }])).rejects.toThrow(
      /user worker crashed/
    )
    await pool.close()

    // During and after the fault: every delivery went to its owner; a fresh pool is served correctly.
    expect(workerDelivered).toBeGreaterThanOrEqual(20)
    expect(rt.auditor.delivered).toBe(workerDelivered)
    expect(rt.auditor.violations).toBe(0)
    const fresh = new InProcessUserPool(sink)
    await fresh.connect([{ userId: 'after', url: rt.userUrl('after') }])
    const before = deliveries.length
    fresh.startRuns(1)
    await expect.poll(() => deliveries.length - before, { timeout: 5_000 }).toBe(5)
    expect(
      deliveries
        .slice(before)
        .every(({ receiver, owner }) => receiver.user_id === 'after' && owner === 'after')
    ).toBe(true)
    expect(rt.auditor.violations).toBe(0)
    await fresh.close()
    await expect.poll(() => rt.factory.stats.active).toBe(0)
    expect(rt.factory.stats).toMatchObject({ created: 21, closed: 21 })
  })
})
