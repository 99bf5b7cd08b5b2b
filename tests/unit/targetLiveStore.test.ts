import { describe, expect, it } from 'vitest'
import type { InspectionDraft, InspectionEvent } from '../../src/shared/inspection'
import { inspectionEventSchema } from '../../src/shared/inspection'
import { emptyUserSummary, type PushSummary } from '../../src/shared/pushSummary'
import { createInitialState, reduceEvents, reduceSummary } from '../../src/renderer/src/store'

/** Stamps drafts as the session's bus does, checked against the real schema. */
function stream(drafts: InspectionDraft[], firstSeq: number): InspectionEvent[] {
  return drafts.map((draft, i) => inspectionEventSchema.parse({ ...draft, seq: firstSeq + i, ts: 1000 + i }))
}

const targetStarted = (users: number): InspectionDraft => ({
  kind: 'target_started',
  url: 'ws://127.0.0.1:8787/ws',
  users,
  runs: 1,
  expected: ['agent_started', 'agent_completed'],
  type_names: { agent_started: 'run.begin', agent_completed: 'run.end' }
})

/** As runTarget announces its users: manager '(target)', contexts of '(target)'. */
const targetUser = (user: string, index: number): InspectionDraft => ({
  kind: 'user_connected',
  connection_id: `target-${index}`,
  context: { user_id: user, thread_id: '(target)', run_id: '(target)', request_id: '(target)' },
  manager_id: '(target)'
})

const runtimeUser = (user: string): InspectionDraft => ({
  kind: 'user_connected',
  connection_id: `conn_${user}`,
  context: { user_id: user, thread_id: `t_${user}`, run_id: `r_${user}`, request_id: `q_${user}` },
  manager_id: `mgr_${user}`
})

const violation = (owner: string, receiver: string, n: number): InspectionDraft => ({
  kind: 'isolation_violation',
  event_id: `evt_${n}`,
  type: 'agent_started',
  run_id: `run_${owner}`,
  owner_user_id: owner,
  receiver_user_id: receiver
})

describe('a target run in the live session', () => {
  it("counts the run's own violations and canary leaks apart from the runtime's, and a new run starts its lanes over", () => {
    const first = stream(
      [
        runtimeUser('alice'),
        runtimeUser('bob'),
        targetStarted(2),
        targetUser('user_1', 1),
        targetUser('user_2', 2),
        violation('bob', 'alice', 1),
        violation('user_2', 'user_1', 2),
        {
          kind: 'canary_leak',
          receiver_user_id: 'user_1',
          canary_user_id: 'user_2',
          frame_type: 'run.begin',
          run_id: 'run_user_2',
          excerpt: '{"type":"run.begin"}'
        },
        { kind: 'user_disconnected', connection_id: 'target-1', user_id: 'user_1', code: 1000, reason: '' }
      ],
      0
    )
    const state = reduceEvents(createInitialState(), first)
    // The session counts every violation; the target run, only those its users received.
    expect(state.violations.total).toBe(2)
    expect(state.target).toMatchObject({ violations: 1, canaryLeaks: 1 })
    expect(Object.keys(state.users).sort()).toEqual(['alice', 'bob', 'user_1', 'user_2'])

    const second = reduceEvents(state, stream([targetStarted(1), targetUser('user_1', 1)], first.length))
    // The previous run's users are gone (user_2 with them), the runtime's stay, and the run's counts start at 0.
    expect(Object.keys(second.users).sort()).toEqual(['alice', 'bob', 'user_1'])
    expect(second.users.user_1?.violationsReceived).toBe(0)
    expect(second.lanes.user_2).toBeUndefined()
    expect(second.target).toMatchObject({ violations: 0, canaryLeaks: 0, users: 1 })
  })

  it("a tab that fell behind counts the run's summarised violations and canary leaks as the run's", () => {
    const state = reduceEvents(
      createInitialState(),
      stream([runtimeUser('alice'), targetStarted(2), targetUser('user_1', 1), targetUser('user_2', 2)], 0)
    )
    const summary: PushSummary = {
      from_seq: 4,
      to_seq: 20,
      events: 17,
      users: {
        user_1: { ...emptyUserSummary(), violations_received: 5 },
        user_2: { ...emptyUserSummary(), violations_leaked: 5 },
        alice: { ...emptyUserSummary(), violations_received: 2 }
      },
      managers: {},
      other: { canary_leak: 3 }
    }
    const next = reduceSummary(state, summary)
    expect(next.violations.total).toBe(7)
    expect(next.target).toMatchObject({ violations: 5, canaryLeaks: 3 })
    expect(next.canaryLeaks.total).toBe(3)
  })
})
