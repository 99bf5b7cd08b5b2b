import { describe, expect, it } from 'vitest'
import { AGENT_EVENT_TYPES } from '../../src/shared/agentEvents'
import { inspectionEventSchema } from '../../src/shared/inspection'
import {
  IsolationAuditor,
  type DeliveredEvent,
  type Receiver
} from '../../src/main/runtime/audit/isolationAuditor'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { DeliveryJudge, transferablesOf } from '../../src/main/runtime/audit/deliveryJudge'
import { workerReportSchema, type JudgedDeliveries } from '../../src/main/runtime/users/workerProtocol'

interface Delivery {
  receiver: Receiver
  event: DeliveredEvent
  receivedAt: number
}

/**
 * Two users, three runs: one delivered whole and in order, one with a step leaked to the other user and a step
 * lost, one out of order; plus ids that need escaping, and a run that names two owners.
 */
function deliveries(): { runs: Array<{ run_id: string; user_id: string }>; list: Delivery[] } {
  const alice = { user_id: 'usr_"alice"\\', connection_id: 'conn_a' }
  const bob = { user_id: 'usr_bob', connection_id: 'conn_b' }
  const event = (runId: string, owner: string, step: number, at: number): DeliveredEvent => ({
    event_id: `evt_${runId}_${step}`,
    type: AGENT_EVENT_TYPES[step]!,
    user_id: owner,
    run_id: runId,
    emitted_at: at
  })
  const list: Delivery[] = []
  for (let step = 0; step < 5; step++)
    list.push({
      receiver: alice,
      event: event('run_whole', alice.user_id, step, 100 + step),
      receivedAt: 101.5 + step
    })
  for (const step of [0, 1, 3])
    list.push({ receiver: bob, event: event('run_leaky', bob.user_id, step, 200), receivedAt: 200.25 })
  list.push({ receiver: alice, event: event('run_leaky', bob.user_id, 4, 210), receivedAt: 209 })
  for (const step of [0, 2, 1, 3, 4])
    list.push({
      receiver: alice,
      event: event('run_shuffled_"odd"\\', alice.user_id, step, 300),
      receivedAt: 300.125
    })
  // A broken server naming two owners for one run (never started here): each is judged on its own.
  list.push({ receiver: alice, event: event('run_twin', alice.user_id, 0, 400), receivedAt: 400.5 })
  list.push({ receiver: bob, event: event('run_twin', bob.user_id, 1, 400), receivedAt: 400.75 })
  return {
    runs: [
      { run_id: 'run_whole', user_id: alice.user_id },
      { run_id: 'run_leaky', user_id: bob.user_id },
      { run_id: 'run_shuffled_"odd"\\', user_id: alice.user_id }
    ],
    list
  }
}

/**
 * A batch as the runtime's thread receives it from a worker: posted with its buffers transferred (the sender's
 * arrays are left empty), then parsed by the protocol's schema.
 */
function crossed(batch: JudgedDeliveries): JudgedDeliveries {
  const sent = [batch.latencies, batch.delivered, batch.deliveredEnds, batch.violationAt]
  const received = structuredClone({ type: 'deliveries', batch }, { transfer: transferablesOf(batch) })
  for (const array of sent) expect(array).toHaveLength(0)
  const report = workerReportSchema.parse(received)
  if (report.type !== 'deliveries') throw new Error(`expected deliveries, parsed ${report.type}`)
  return report.batch
}

/** Feeds the same deliveries through one path and returns every line the bus wrote and the auditor's verdict. */
function audit(path: 'per-delivery' | 'judged', batchSize: number) {
  const bus = new InspectionBus({ now: () => 42 })
  const auditor = new IsolationAuditor(bus, { missingGraceMs: 60_000 })
  const { runs, list } = deliveries()
  for (const run of runs)
    bus.emit({
      kind: 'run_started',
      context: { user_id: run.user_id, thread_id: 'thr', run_id: run.run_id, request_id: 'req' }
    })
  const judge = new DeliveryJudge('inspect')
  for (const { receiver, event, receivedAt } of list) {
    if (path === 'per-delivery') auditor.recordDelivery(receiver, event, receivedAt)
    else {
      judge.add(receiver, event, receivedAt)
      if (judge.size >= batchSize) auditor.recordJudged(crossed(judge.take()))
    }
  }
  if (judge.size > 0) auditor.recordJudged(crossed(judge.take()))
  for (const run of runs)
    bus.emit({ kind: 'run_completed', run_id: run.run_id, user_id: run.user_id, emitted: 5 })
  auditor.finalize()
  return {
    lines: bus.snapshotLines(),
    verdict: {
      delivered: auditor.delivered,
      violations: auditor.violations,
      missing: auditor.runsWithMissingEvents,
      outOfOrder: auditor.runsOutOfOrder,
      tallies: [...auditor.tallies()],
      p99: auditor.latency.percentile(99)
    }
  }
}

/** What the deliveries call for, written from them directly: each one's delivered event (a clock that went
 * backwards counts as no latency), and a violation after a leak. */
function expectedEvents(): Array<Record<string, unknown>> {
  const events: Array<Record<string, unknown>> = []
  for (const { receiver, event, receivedAt } of deliveries().list) {
    const ids = {
      event_id: event.event_id,
      type: event.type,
      run_id: event.run_id,
      owner_user_id: event.user_id,
      receiver_user_id: receiver.user_id
    }
    events.push({
      kind: 'agent_event_delivered',
      ...ids,
      latency_ms: Math.max(0, receivedAt - event.emitted_at)
    })
    if (event.user_id !== receiver.user_id) events.push({ kind: 'isolation_violation', ...ids })
  }
  return events
}

describe('DeliveryJudge + IsolationAuditor', () => {
  it.each([1, 4, 100])('writes what each delivery calls for, whatever the batch (batches of %i)', (size) => {
    const judged = audit('judged', size)
    const perDelivery = audit('per-delivery', size)
    expect(judged.lines).toEqual(perDelivery.lines)
    expect(judged.verdict).toEqual(perDelivery.verdict)
    const events = judged.lines.map((line) => inspectionEventSchema.parse(JSON.parse(line)))
    const deliveryEvents = events
      .filter((event) => event.kind === 'agent_event_delivered' || event.kind === 'isolation_violation')
      .map(({ seq: _seq, ts: _ts, ...rest }) => rest)
    expect(deliveryEvents).toEqual(expectedEvents())
    expect(judged.verdict).toMatchObject({ delivered: 16, violations: 1, missing: 1, outOfOrder: 1 })
    expect(Object.fromEntries(judged.verdict.tallies)).toEqual({
      'usr_"alice"\\': { received: 12, own: 11, foreign: 1 },
      usr_bob: { received: 4, own: 4, foreign: 0 }
    })
  })

  it('prepares only latencies and foreign indices in count mode, which the auditor refuses', () => {
    const judge = new DeliveryJudge('count')
    for (const { receiver, event, receivedAt } of deliveries().list) judge.add(receiver, event, receivedAt)
    const batch = judge.take()
    expect(batch.latencies).toHaveLength(16)
    expect(batch.violationAt).toEqual(Uint32Array.of(8))
    expect(batch.delivered).toHaveLength(0)
    expect(batch.deliveredEnds).toHaveLength(0)
    expect([batch.violations, batch.runIds, batch.runSteps, batch.tallyUsers]).toEqual([[], [], [], []])
    expect(batch.tallyCounts).toHaveLength(0)
    const auditor = new IsolationAuditor(new InspectionBus())
    expect(() => auditor.recordJudged(batch)).toThrow(/16 deliveries but 0 inspection lines/)
    expect(judge.size).toBe(0)
  })

  it('takes batches larger than its scratch room whole, and starts the next one empty', () => {
    const { list } = deliveries()
    const judge = new DeliveryJudge('inspect')
    const rounds = 100
    for (let round = 0; round < rounds; round++)
      for (const { receiver, event, receivedAt } of list) judge.add(receiver, event, receivedAt)
    const batch = crossed(judge.take())
    expect(batch.latencies).toHaveLength(rounds * list.length)
    expect(batch.deliveredEnds).toHaveLength(rounds * list.length)
    expect(batch.deliveredEnds.at(-1)).toBe(batch.delivered.length)
    expect(batch.violationAt).toEqual(
      Uint32Array.from({ length: rounds }, (_, round) => round * list.length + 8)
    )
    expect(batch.violations).toHaveLength(rounds)
    expect(judge.size).toBe(0)
    const { receiver, event, receivedAt } = list[0] as Delivery
    judge.add(receiver, event, receivedAt)
    const next = crossed(judge.take())
    expect([next.latencies.length, next.violationAt.length, next.violations.length]).toEqual([1, 0, 0])
  })
})
