import { describe, expect, it } from 'vitest'
import { PushSummarizer } from '../../src/main/host/web/pushSummarizer'
import { AGENT_EVENT_TYPES } from '../../src/shared/agentEvents'
import type { ContextIds } from '../../src/shared/context'
import {
  inspectionEventSchema,
  type InspectionDraft,
  type InspectionEvent
} from '../../src/shared/inspection'
import { eventsPushBytes, pushSchema } from '../../src/shared/inspectorApi'
import {
  createInitialState,
  reduceEvents,
  reduceSummary,
  type InspectorState
} from '../../src/renderer/src/store'

const USERS = ['alice', 'bob', 'carol']

function ctx(user: string, run: number): ContextIds {
  return {
    user_id: user,
    thread_id: `thread_${user}`,
    run_id: `run_${user}_${run}`,
    request_id: `req_${user}`
  }
}

/** Users connect, run through one shared manager (so every event also reaches the others), and one leaves. */
function session(runs: number): InspectionEvent[] {
  const drafts: InspectionDraft[] = [
    { kind: 'manager_created', manager_id: 'shared', mode: 'shared', context: null, caller: 'app' }
  ]
  for (const user of USERS) {
    drafts.push({
      kind: 'user_connected',
      connection_id: `c_${user}`,
      context: ctx(user, 0),
      manager_id: 'shared'
    })
  }
  for (let run = 1; run <= runs; run += 1) {
    for (const owner of USERS) {
      const context = ctx(owner, run)
      drafts.push({ kind: 'run_started', context })
      for (const type of AGENT_EVENT_TYPES) {
        const event_id = `evt_${owner}_${run}_${type}`
        drafts.push({
          kind: 'agent_event_emitted',
          event_id,
          type,
          user_id: owner,
          run_id: context.run_id,
          manager_id: 'shared',
          recipients: USERS.length
        })
        for (const receiver of USERS) {
          const delivery = {
            event_id,
            type,
            run_id: context.run_id,
            owner_user_id: owner,
            receiver_user_id: receiver
          }
          drafts.push({ kind: 'agent_event_delivered', ...delivery, latency_ms: run % 7 })
          if (receiver !== owner) drafts.push({ kind: 'isolation_violation', ...delivery })
        }
      }
      drafts.push({ kind: 'run_completed', run_id: context.run_id, user_id: owner, emitted: 5 })
    }
  }
  drafts.push({ kind: 'warning', code: 'w', message: 'late' })
  drafts.push({
    kind: 'user_disconnected',
    connection_id: 'c_carol',
    user_id: 'carol',
    code: 1000,
    reason: 'bye'
  })
  return drafts.map((draft, seq) => inspectionEventSchema.parse({ ...draft, seq, ts: seq }))
}

/** The figures a summary must keep exact. */
function figures(state: InspectorState) {
  return {
    eventCount: state.eventCount,
    violations: state.violations.total,
    warnings: state.warnings.total,
    emitted: state.factory.managers.shared?.emitted,
    managerDelivered: state.factory.managers.shared?.delivered,
    users: Object.fromEntries(
      Object.values(state.users).map((user) => [
        user.user_id,
        {
          connected: user.connected,
          runsStarted: user.runsStarted,
          runsCompleted: user.runsCompleted,
          delivered: user.delivered,
          deliveredByType: user.deliveredByType,
          violationsReceived: user.violationsReceived,
          violationsLeaked: user.violationsLeaked,
          latencyCount: user.deliveryLatency.count,
          latencyTotal: user.deliveryLatency.total,
          latencyMax: user.deliveryLatency.max
        }
      ])
    )
  }
}

/** What a tab gets when every push after the first `sentAhead` events was summarised, as it would parse it. */
function summarised(events: InspectionEvent[], keepBytes: number, sentAhead: number) {
  const summarizer = new PushSummarizer(keepBytes)
  const lines = events.slice(sentAhead).map((event) => JSON.stringify(event))
  for (let i = 0; i < lines.length; i += 50) summarizer.add(eventsPushBytes(lines.slice(i, i + 50)))
  const { kept, summary } = summarizer.take()
  const keptPush = pushSchema.parse(JSON.parse(`{"type":"events","events":[${kept.join(',')}]}`))
  const summaryPush = pushSchema.parse(JSON.parse(JSON.stringify({ type: 'summary', summary })))
  if (keptPush.type !== 'events' || summaryPush.type !== 'summary') throw new Error('unexpected push types')
  return { kept: keptPush.events, summary: summaryPush.summary }
}

describe('push summaries', () => {
  const events = session(20)
  const whole = reduceEvents(createInitialState(), events)

  it.each([
    ['with room to keep every event that must not be lost', 1024 * 1024],
    ['when the kept events overflow into counts', 2 * 1024]
  ])('give the same figures as the events themselves, %s', (_, keepBytes) => {
    const ahead = 10
    const { kept, summary } = summarised(events, keepBytes, ahead)
    let state = reduceEvents(createInitialState(), events.slice(0, ahead))
    state = reduceEvents(state, kept)
    state = reduceSummary(state, summary)
    expect(figures(state)).toEqual(figures(whole))
    expect(summary.events + kept.length).toBe(events.length - ahead)
    // Each lane's marker counts its user's summarised events; with the kinds counted only by kind, that is all.
    const perLane = Object.values(state.lanes).reduce((sum, lane) => sum + lane.summary.summarised, 0)
    const byKind = Object.values(summary.other).reduce((sum, n) => sum + n, 0)
    expect(perLane + byKind).toBe(summary.events)
  })

  it('keeps violations, lifecycle and warnings as events while there is room; summarises the flood', () => {
    const { kept, summary } = summarised(events, 1024 * 1024, 0)
    const keptKinds = new Set(kept.map((event) => event.kind))
    expect(keptKinds).toEqual(
      new Set([
        'manager_created',
        'user_connected',
        'agent_event_delivered',
        'isolation_violation',
        'warning',
        'user_disconnected'
      ])
    )
    expect(
      kept.every(
        (event) => event.kind !== 'agent_event_delivered' || event.owner_user_id !== event.receiver_user_id
      )
    ).toBe(true)
    expect(summary.users.alice?.runs_started).toBe(20)
    expect(summary.managers.shared).toBe(20 * USERS.length * 5)
  })

  it('does not count again what a hello covered', () => {
    const summarizer = new PushSummarizer(1024 * 1024)
    const lines = events.map((event) => JSON.stringify(event))
    summarizer.add(eventsPushBytes(lines.slice(0, 100)))
    summarizer.coveredUpTo(149)
    expect(summarizer.pending).toBe(false)
    summarizer.add(eventsPushBytes(lines.slice(100, 200)))
    expect(summarizer.take().summary?.from_seq).toBeGreaterThanOrEqual(150)
  })
})
