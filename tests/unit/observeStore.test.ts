import { describe, expect, it } from 'vitest'
import type { InspectionDraft, InspectionEvent } from '../../src/shared/inspection'
import { inspectionEventSchema } from '../../src/shared/inspection'
import { createInitialState, LIMITS, reduceEvents } from '../../src/renderer/src/store'

/** Stamps drafts as the bus does, checked against the real schema. */
function stream(drafts: InspectionDraft[], firstSeq = 0): InspectionEvent[] {
  return drafts.map((draft, i) => inspectionEventSchema.parse({ ...draft, seq: firstSeq + i, ts: 1000 + i }))
}

const started: InspectionDraft = {
  kind: 'observe_started',
  source: 'ws://127.0.0.1:8788',
  rules: ['cookie:user'],
  owner_ids: ['/user_id']
}

function opened(id: string, user: string | null): InspectionDraft {
  return {
    kind: 'observed_connection',
    connection_id: id,
    user_id: user,
    rule: user === null ? null : 'cookie:user',
    problems: user === null ? ['cookie:user: absent'] : [],
    url: '/socket',
    headers: {},
    at: 0
  }
}

function closed(id: string, user: string | null): InspectionDraft {
  return {
    kind: 'observed_closed',
    connection_id: id,
    user_id: user,
    code: 1000,
    reason: '',
    closed_by: 'client'
  }
}

const leak: InspectionDraft = {
  kind: 'observed_leak',
  connection_id: 'c2',
  by: 'owner_id',
  owner_user_id: 'alice',
  receiver_user_id: 'bob',
  pointer: '/user_id',
  canary: null,
  excerpt: '{"user_id":"alice"}'
}

describe("the store's observation (the Observe tab)", () => {
  it('lists connections with their user and rule, marks closes, counts leaks; a new observation starts over', () => {
    const state = reduceEvents(
      createInitialState(),
      stream([
        started,
        opened('c1', 'alice'),
        opened('c2', 'bob'),
        opened('c3', null),
        leak,
        closed('c1', 'alice')
      ])
    )
    const observation = state.observation
    expect(observation).toMatchObject({
      source: 'ws://127.0.0.1:8788',
      rules: ['cookie:user'],
      connectionsSeen: 3
    })
    expect(observation?.connections.map((c) => [c.connection_id, c.user_id, c.close?.code ?? null])).toEqual([
      ['c1', 'alice', 1000],
      ['c2', 'bob', null],
      ['c3', null, null]
    ])
    expect(observation?.leaks.total).toBe(1)
    expect(observation?.leaks.recent[0]).toMatchObject({ owner_user_id: 'alice', receiver_user_id: 'bob' })
    expect(state.users.bob?.leakFrom).toEqual({ alice: 1 })

    const again = reduceEvents(state, stream([started], 6))
    expect(again.observation).toMatchObject({ connections: [], connectionsSeen: 0, leaks: { total: 0 } })
  })

  it('stays bounded: the oldest closed connection goes first, then the oldest; the newest leaks are kept', () => {
    const count = LIMITS.observedConnections + 10
    const drafts: InspectionDraft[] = [started]
    for (let i = 0; i < count; i += 1) drafts.push(opened(`c${i}`, `u${i}`))
    drafts.push(closed('c50', 'u50'))
    drafts.push(opened('late', 'u-late'))
    for (let i = 0; i < LIMITS.observedLeaks + 5; i += 1) drafts.push(leak)
    const state = reduceEvents(createInitialState(), stream(drafts))
    const listed = state.observation?.connections.map((c) => c.connection_id) ?? []
    expect(listed).toHaveLength(LIMITS.observedConnections)
    expect(state.observation?.connectionsSeen).toBe(count + 1)
    // With all open, the ten oldest went; then the closed c50 went before the older, still open c10.
    expect(listed[0]).toBe('c10')
    expect(listed).not.toContain('c50')
    expect(listed).toContain('c49')
    expect(listed.at(-1)).toBe('late')
    expect(state.observation?.leaks).toMatchObject({ total: LIMITS.observedLeaks + 5 })
    expect(state.observation?.leaks.recent).toHaveLength(LIMITS.observedLeaks)
  })

  it('shows what a history holds even when it no longer reaches back to observe_started', () => {
    const state = reduceEvents(createInitialState(), stream([opened('c9', 'bob'), leak], 500))
    expect(state.observation).toMatchObject({ source: '', connectionsSeen: 1, leaks: { total: 1 } })
  })
})
