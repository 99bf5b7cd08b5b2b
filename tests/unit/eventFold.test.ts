import { describe, expect, it } from 'vitest'
import { AGENT_EVENT_TYPES } from '../../src/shared/agentEvents'
import type { ContextIds } from '../../src/shared/context'
import {
  inspectionEventSchema,
  type InspectionDraft,
  type InspectionEvent
} from '../../src/shared/inspection'
import {
  createInitialState,
  EventFold,
  reduceEvents,
  type InspectorState
} from '../../src/renderer/src/store'

const ctx = (user: string, run = 1): ContextIds => ({
  user_id: user,
  thread_id: `thread_${user}`,
  run_id: `run_${user}_${run}`,
  request_id: `req_${user}_${run}`
})

/**
 * A session's worth of every kind of change the fold makes: users connecting to managers, runs, deliveries past a
 * lane's capacity (evictions), leaks marked as violations in a lane, reports, warnings, and a disconnect.
 */
function session(): InspectionEvent[] {
  const users = ['alice', 'bob', 'carol']
  const drafts: InspectionDraft[] = [{ kind: 'phase_transition', from: null, to: 'idle' }]
  users.forEach((user, at) => {
    drafts.push({
      kind: 'manager_created',
      manager_id: `m_${user}`,
      mode: 'isolated',
      context: null,
      caller: 'f'
    })
    drafts.push({
      kind: 'user_connected',
      connection_id: `c${at}`,
      context: ctx(user),
      manager_id: `m_${user}`
    })
  })
  for (let run = 1; run <= 12; run++) {
    for (const [at, user] of users.entries()) {
      drafts.push({ kind: 'run_started', context: ctx(user, run) })
      for (const type of AGENT_EVENT_TYPES) {
        const leak = run % 4 === 0 && at === 0
        const receiver = leak ? 'bob' : user
        const event = { event_id: `evt_${user}_${run}_${type}`, type, run_id: ctx(user, run).run_id }
        drafts.push({
          kind: 'agent_event_emitted',
          ...event,
          user_id: user,
          manager_id: `m_${user}`,
          recipients: 1
        })
        drafts.push({
          kind: 'agent_event_delivered',
          ...event,
          owner_user_id: user,
          receiver_user_id: receiver,
          latency_ms: run + at / 3
        })
        if (leak)
          drafts.push({
            kind: 'isolation_violation',
            ...event,
            owner_user_id: user,
            receiver_user_id: receiver
          })
      }
      drafts.push({ kind: 'run_completed', run_id: ctx(user, run).run_id, user_id: user, emitted: 5 })
    }
    if (run % 5 === 0) {
      drafts.push({ kind: 'warning', code: 'slow', message: `run ${run}` })
      drafts.push({
        kind: 'events_missing',
        run_id: ctx('carol', run).run_id,
        user_id: 'carol',
        received: [],
        missing: ['agent_thinking']
      })
    }
  }
  drafts.push({ kind: 'user_disconnected', connection_id: 'c2', user_id: 'carol', code: 1000, reason: 'bye' })
  return drafts.map((draft, seq) => inspectionEventSchema.parse({ ...draft, seq, ts: 1_000 + seq }))
}

/** A deep copy to compare a state against later: what it held then, not the objects it shares. */
const copy = (state: InspectorState): InspectorState => structuredClone(state)

describe('EventFold', () => {
  const events = session()
  // Lanes of 8 entries, so deliveries push entries out and copies of lane rings cross chunk boundaries.
  const base = createInitialState(8)

  it('gives the state reduceEvents gives, whatever events fall between the states taken', () => {
    const whole = reduceEvents(base, events)
    for (const every of [1, 2, 7, 64, events.length]) {
      const fold = new EventFold(base)
      const taken: Array<{ at: number; state: InspectorState; then: InspectorState }> = []
      events.forEach((event, at) => {
        fold.add(event)
        if ((at + 1) % every === 0) {
          const state = fold.state()
          taken.push({ at: at + 1, state, then: copy(state) })
        }
      })
      expect(fold.state()).toEqual(whole)
      for (const { at, state, then } of taken) {
        // Taken, then left behind: later events never change it, and it is the fold of the events before it.
        expect(state).toEqual(then)
        expect(state).toEqual(reduceEvents(base, events.slice(0, at)))
      }
    }
  })

  it('skips events already seen and returns the same state when nothing was folded', () => {
    const fold = new EventFold(base)
    expect(fold.state()).toBe(base)
    events.slice(0, 20).forEach((event) => fold.add(event))
    const after = fold.state()
    expect(after.eventCount).toBe(20)
    events.slice(5, 20).forEach((event) => fold.add(event))
    expect(fold.state()).toBe(after)
  })
})
