import { afterEach, describe, expect, it } from 'vitest'
import { ObservedSession } from '../../src/main/observe/observedSession'
import { parseUserRules } from '../../src/main/observe/userRules'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import type { InspectionDraft, InspectionEvent } from '../../src/shared/inspection'
import { inspectionEventSchema } from '../../src/shared/inspection'
import {
  createInitialState,
  LIMITS,
  reduceEvents,
  ringToArray,
  setLaneCapacity,
  type FrameLaneEntry,
  type InspectorState
} from '../../src/renderer/src/store'
import { connectChat, startObservedChat, type ChatClient } from '../helpers/observedChat'

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

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/**
 * A real observed session over the real chat backend with its broadcast bug: alice and bob each say something
 * (alice's words reach bob by owner id and by canary, bob's reach alice), then bob's client sends a binary frame.
 * Returns every event the session emitted, as the app (live or replaying a recording) receives them.
 */
async function observedChatEvents(): Promise<InspectionEvent[]> {
  const bus = new InspectionBus()
  const session = new ObservedSession({
    bus,
    rules: parseUserRules(['header:x-user']),
    ownerIds: ['/owner'],
    source: 'test'
  })
  const chat = await startObservedChat(session, { broadcastBug: true })
  cleanups.push(() => chat.close())
  const connect = async (user: string): Promise<ChatClient> => {
    const client = await connectChat(chat.url, { headers: { 'x-user': user } })
    cleanups.push(() => client.close())
    return client
  }
  const alice = await connect('alice')
  const bob = await connect('bob')
  alice.say('order-98213-alice is ready')
  await bob.waitFor((text) => text.includes('order-98213-alice'))
  await alice.waitFor((text) => text.includes('order-98213-alice'))
  bob.say('invoice-5521-bob is paid')
  await alice.waitFor((text) => text.includes('invoice-5521-bob'))
  await bob.waitFor((text) => text.includes('invoice-5521-bob'))
  bob.socket.send(Buffer.from([1, 2, 3]))
  await bob.waitFor((text) => text.includes('binary_ack'))
  return bus.snapshot()
}

function frameRows(state: InspectorState, userId: string): FrameLaneEntry[] {
  const lane = state.lanes[userId]
  return lane === undefined
    ? []
    : ringToArray(lane.entries).filter((entry): entry is FrameLaneEntry => entry.kind === 'frame')
}

describe("observed frames in the users' lanes (the Users view, live and replayed)", () => {
  it('makes each received frame a row, red and naming the owner when it leaked, and counts sent and received', async () => {
    const events = await observedChatEvents()
    const state = reduceEvents(createInitialState(), events)
    const received = (user: string) =>
      events.filter(
        (e) => e.kind === 'observed_frame' && e.user_id === user && e.direction === 'server_to_client'
      )

    for (const user of ['alice', 'bob']) {
      const rows = frameRows(state, user)
      expect(rows.map((row) => row.seq)).toEqual(received(user).map((frame) => frame.seq))
      expect(state.users[user]?.delivered).toBe(rows.length)
    }
    expect(state.users.alice?.framesSent).toBe(1)
    expect(state.users.bob?.framesSent).toBe(2)

    const toBob = frameRows(state, 'bob')
    const leaked = toBob.find((row) => row.excerpt.includes('order-98213-alice'))
    // One frame, two observed_leak events (its owner id and alice's canary): one red row naming alice once.
    expect(leaked).toMatchObject({ violation: true, owners: ['alice'], leaks: 2, binary: false })
    expect(leaked?.bytes).toBe(Buffer.byteLength(leaked?.excerpt ?? ''))
    // Its own frame: the owner id (--owner-id /owner) names bob, carried by observed_frame.
    expect(toBob.find((row) => row.excerpt.includes('invoice-5521-bob'))).toMatchObject({
      violation: false,
      owner: 'bob',
      owners: []
    })
    expect(leaked?.owner).toBe('alice')
    // The binary ack carries no owner id; frames a client sent carry none either.
    expect(toBob.find((row) => row.excerpt.includes('binary_ack'))?.owner).toBeNull()
    const sent = events.filter((e) => e.kind === 'observed_frame' && e.direction === 'client_to_server')
    expect(sent.map((e) => (e.kind === 'observed_frame' ? e.owner_user_id : undefined))).toEqual([
      null,
      null,
      null
    ])
    expect(frameRows(state, 'alice').find((row) => row.excerpt.includes('invoice-5521-bob'))).toMatchObject({
      violation: true,
      owners: ['bob']
    })
    expect(frameRows(state, 'alice').filter((row) => row.violation)).toHaveLength(1)
    expect(state.users.bob?.observedLeaksReceived).toBe(2)
  })

  it('gives the same lanes folding one event per batch (a leak in the batch after its frame)', async () => {
    const events = await observedChatEvents()
    const whole = reduceEvents(createInitialState(), events)
    let stepped = createInitialState()
    for (const event of events) stepped = reduceEvents(stepped, [event])
    for (const user of ['alice', 'bob']) expect(frameRows(stepped, user)).toEqual(frameRows(whole, user))
  })

  it('keeps at most the lane capacity of rows; older ones, leaks included, fold into the lane summary', async () => {
    const events = await observedChatEvents()
    const state = reduceEvents(createInitialState(1), events)
    const lane = state.lanes.bob
    expect(lane?.entries.size).toBe(1)
    expect(lane?.summary.folded).toBe((state.users.bob?.delivered ?? 0) - 1)
    expect(lane?.summary.foldedViolations).toBe(1)
    const widened = setLaneCapacity(reduceEvents(createInitialState(), events), 1)
    expect(widened.lanes.bob?.summary).toEqual(lane?.summary)
  })

  it('shows a leak whose frame the stream no longer holds as a leak row of its own', async () => {
    const events = await observedChatEvents()
    const withoutFrames = events.filter((event) => event.kind !== 'observed_frame')
    const rows = frameRows(reduceEvents(createInitialState(), withoutFrames), 'bob')
    // The frame's two leaks (owner id, canary) make one row.
    expect(rows.map((row) => [row.bytes, row.owner, row.owners, row.leaks, row.violation])).toEqual([
      [null, 'alice', ['alice'], 2, true]
    ])
    expect(rows[0]?.excerpt).toContain('order-98213-alice')
  })
})
