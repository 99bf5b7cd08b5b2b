import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ObservedSession } from '../../src/main/observe/observedSession'
import { observeExitCode } from '../../src/main/observe/observeSummary'
import { parseUserRules } from '../../src/main/observe/userRules'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { Recorder } from '../../src/main/runtime/inspection/recorder'
import { readRecordingText } from '../../src/shared/recordingFormat'
import { createInitialState, reduceEvents } from '../../src/renderer/src/store'
import type { InspectionEvent, InspectionKind } from '../../src/shared/inspection'
import { connectChat, startObservedChat, type ChatClient, type ObservedChat } from '../helpers/observedChat'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function observe(
  rules: string[],
  options: { broadcastBug: boolean; ownerIds?: string[] }
): Promise<{ session: ObservedSession; bus: InspectionBus; chat: ObservedChat }> {
  const bus = new InspectionBus()
  const session = new ObservedSession({
    bus,
    rules: parseUserRules(rules),
    ownerIds: options.ownerIds ?? [],
    source: 'test'
  })
  const chat = await startObservedChat(session, { broadcastBug: options.broadcastBug })
  cleanups.push(() => chat.close())
  return { session, bus, chat }
}

async function client(url: string, headers: Record<string, string> = {}): Promise<ChatClient> {
  const chat = await connectChat(url, { headers })
  cleanups.push(() => chat.close())
  return chat
}

const of = <K extends InspectionKind>(bus: InspectionBus, kind: K) =>
  bus.snapshot().filter((event): event is Extract<InspectionEvent, { kind: K }> => event.kind === kind)

describe('ObservedSession on a real chat backend', () => {
  it("flags a user's canary reaching another user, naming both, and nothing else", async () => {
    const { session, bus, chat } = await observe(['header:x-user'], { broadcastBug: true })
    const alice = await client(chat.url, { 'x-user': 'alice' })
    const bob = await client(chat.url, { 'x-user': 'bob' })
    bob.say('hello there')
    await alice.waitFor((text) => text.includes('hello there'))
    alice.say('my PIN is 4242 and my code is zx81-alpha')
    await bob.waitFor((text) => text.includes('zx81-alpha'))

    const summary = session.summary()
    expect(summary.leaks.byCanary).toEqual([
      { owner: 'alice', receiver: 'bob', frames: 1, example: 'my PIN is 4242 and my code is zx81-alpha' }
    ])
    expect(observeExitCode(summary)).toBe(1)
    const leaks = of(bus, 'observed_leak')
    expect(leaks.every((leak) => leak.by === 'canary')).toBe(true)
    expect(leaks.map((leak) => [leak.owner_user_id, leak.receiver_user_id])).toContainEqual(['alice', 'bob'])
    expect(summary.users.map((user) => [user.user_id, user.connections])).toEqual([
      ['alice', 1],
      ['bob', 1]
    ])
  })

  it('stays clean when each user only hears back their own words, and on common words, numbers, field names', async () => {
    const { session, chat } = await observe(['header:x-user'], { broadcastBug: false })
    const alice = await client(chat.url, { 'x-user': 'alice' })
    const bob = await client(chat.url, { 'x-user': 'bob' })
    alice.say('secret-alice-77')
    await alice.waitFor((text) => text.includes('secret-alice-77'))
    bob.say('secret-bob-88')
    await bob.waitFor((text) => text.includes('secret-bob-88'))
    const summary = session.summary()
    expect(summary.leaks.total).toBe(0)
    expect(observeExitCode(summary)).toBe(0)
    expect(summary.frames).toMatchObject({ clientToServer: 2, serverToClient: 2, unparsed: 0 })
  })

  it('does not flag words, numbers, booleans, field names or values both users sent, even when broadcast', async () => {
    const { session, chat } = await observe(['header:x-user'], { broadcastBug: false })
    const alice = await client(chat.url, { 'x-user': 'alice' })
    const bob = await client(chat.url, { 'x-user': 'bob' })
    const shared = 'room-2024-general'
    alice.say(shared)
    await alice.waitFor((text) => text.includes(shared))
    bob.say(shared)
    await bob.waitFor((text) => text.includes(shared))
    chat.setBroadcastBug(true)
    for (const text of ['administrator', '123456789', 'true', 'said', 'owner', 'chat_message_type', shared]) {
      alice.say(text)
      await bob.waitFor((received) => received.includes(`"text":"${text}"`))
    }
    expect(session.summary().leaks.total).toBe(0)
  })

  it('flags owner ids naming another observed user, and counts ids naming nobody observed', async () => {
    const { session, bus, chat } = await observe(['query:user'], { broadcastBug: true, ownerIds: ['/owner'] })
    const alice = await client(`${chat.url}/ws?user=alice`)
    const bob = await client(`${chat.url}/ws?user=bob`, {})
    alice.socket.send(JSON.stringify({ type: 'hello', user: 'alice' }))
    bob.socket.send(JSON.stringify({ type: 'hello', user: 'bob' }))
    await alice.waitFor((text) => text.includes('welcome'))
    await bob.waitFor((text) => text.includes('welcome'))
    alice.say('hi')
    await bob.waitFor((text) => text.includes('"owner":"alice"'))
    const summary = session.summary()
    expect(summary.leaks.byOwnerId).toEqual([
      { owner: 'alice', receiver: 'bob', pointer: '/owner', frames: 1 }
    ])
    expect(summary.leaks.total).toBe(1)
    expect(of(bus, 'observed_leak')[0]).toMatchObject({
      by: 'owner_id',
      owner_user_id: 'alice',
      receiver_user_id: 'bob',
      pointer: '/owner'
    })
  })

  it('attributes by the first message, judging what the server sent before it, and leaves the rest unattributed', async () => {
    const { session, bus, chat } = await observe(['json:/user@first-message'], {
      broadcastBug: true,
      ownerIds: ['/owner']
    })
    const alice = await client(chat.url)
    alice.socket.send(JSON.stringify({ type: 'hello', user: 'alice' }))
    await alice.waitFor((text) => text.includes('welcome'))
    const stranger = await client(chat.url)
    stranger.say('no hello from me')
    await alice.waitFor((text) => text.includes('no hello from me'))
    await stranger.close()
    const summary = session.summary()
    expect(summary.connections).toMatchObject({ total: 2, attributed: 1, unattributed: 1 })
    expect(summary.unattributedReasons).toEqual([
      {
        reason:
          "json:/user@first-message: no 'user' in the frame (path /user), which has the keys type, text",
        connections: 1
      }
    ])
    expect(summary.rules).toEqual([{ rule: 'json:/user@first-message', named: 1 }])
    expect(summary.frames.toUnattributed).toBe(1)
    const connections = of(bus, 'observed_connection')
    expect(connections.map((c) => c.user_id)).toEqual(['alice', null])
    expect(of(bus, 'user_connected').map((c) => c.context.user_id)).toEqual(['alice'])
  })

  it('records everything as NDJSON the recording reader opens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'observe-record-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const path = join(dir, 'observe.ndjson')
    const { bus, chat } = await observe(['header:x-user'], { broadcastBug: true })
    const recorder = new Recorder(bus, path, { includeHistory: true })
    const alice = await client(chat.url, { 'x-user': 'alice' })
    const bob = await client(chat.url, { 'x-user': 'bob' })
    alice.say('alice-card-9911')
    await bob.waitFor((text) => text.includes('alice-card-9911'))
    alice.socket.send(Buffer.from([1, 2, 3, 250]))
    await alice.waitFor((text) => text.includes('binary_ack'))
    await recorder.close()
    const read = readRecordingText(readFileSync(path, 'utf8'))
    if (!read.ok) throw new Error(read.problem)
    const kinds = new Set(read.events.map((event) => event.kind))
    expect([...kinds]).toEqual(
      expect.arrayContaining([
        'observe_started',
        'observed_connection',
        'user_connected',
        'observed_frame',
        'observed_leak'
      ])
    )
    const binary = read.events.find((event) => event.kind === 'observed_frame' && event.binary)
    expect(binary).toMatchObject({ data: Buffer.from([1, 2, 3, 250]).toString('base64'), bytes: 4 })
  })

  it("replays into the users view: a lane per user, the receiver's red with the owner named", async () => {
    const { bus, chat } = await observe(['header:x-user'], { broadcastBug: true, ownerIds: ['/owner'] })
    const alice = await client(chat.url, { 'x-user': 'alice' })
    const bob = await client(chat.url, { 'x-user': 'bob' })
    await client(chat.url)
    alice.say('alice-card-9911')
    await bob.waitFor((text) => text.includes('alice-card-9911'))
    const state = reduceEvents(createInitialState(), bus.snapshot())
    expect(Object.keys(state.users).sort()).toEqual(['alice', 'bob'])
    expect(Object.keys(state.lanes).sort()).toEqual(['alice', 'bob'])
    expect(state.users.bob).toMatchObject({
      connected: true,
      observedLeaksReceived: 2,
      leakFrom: { alice: 2 }
    })
    expect(state.users.alice).toMatchObject({ observedLeaksReceived: 0, leakFrom: {} })
  })
})
