import { describe, expect, it } from 'vitest'
import { CanaryTaint, MAX_CANARIES } from '../../src/main/observe/canaryTaint'
import { distinctiveStrings, isDistinctive, parseFrameJson } from '../../src/main/observe/frameStrings'

const stringsOf = (text: string, keys: string[] = []): string[] => {
  const parsed = parseFrameJson(text)
  return [...distinctiveStrings(text, parsed.ok ? parsed.value : undefined, (key) => keys.push(key))]
}

describe('what counts as distinctive', () => {
  it.each([
    'hello',
    'administrator',
    'chat_message',
    'subscribeToRoom',
    'true',
    'null',
    '1234567890',
    '3.14159265',
    '2026-12-03T13:05:31Z',
    '2026-12-03',
    'ab12',
    'hello there',
    'good morning',
    'x'.repeat(201)
  ])('%s is not', (text) => {
    expect(isDistinctive(text)).toBe(false)
  })

  it.each([
    'order-98213-alice',
    'hunter2secret',
    'a1b2c3d4e5f6',
    'meet me at the old mill tonight',
    'tok_8f3KxQ2'
  ])('%s is', (text) => {
    expect(isDistinctive(text)).toBe(true)
  })

  it('takes string values and the tokens in them, never keys, numbers or booleans', () => {
    const keys: string[] = []
    const found = stringsOf(
      '{"type":"chat_message","user_id_2024":"x","count":12345678,"ok":true,"text":"card 4111-1111 for bob99xyz"}',
      keys
    )
    // The card number alone has no letter: a number, not distinctive; the sentence and the mixed token are.
    expect(found.sort()).toEqual(['bob99xyz', 'card 4111-1111 for bob99xyz'])
    expect(found).not.toContain('user_id_2024')
    // Keys shorter than a canary cannot be mistaken for one: only the long ones are reported as field names.
    expect(keys).toEqual(['user_id_2024'])
  })

  it('reads Socket.IO packets past their prefix', () => {
    expect(stringsOf('42["chat",{"text":"secret-42-x"}]')).toEqual(['secret-42-x'])
    expect(stringsOf('42/admin,["chat",{"text":"secret-43-y"}]')).toEqual(['secret-43-y'])
  })
})

describe('canary taint', () => {
  it("flags one user's string reaching another user, not its sender", () => {
    const taint = new CanaryTaint()
    taint.learn('alice', ['alice-secret-1'])
    expect([...taint.foreignOwners('alice', ['alice-secret-1'])]).toEqual([])
    expect([...taint.foreignOwners('bob', ['alice-secret-1'])]).toEqual([['alice', 'alice-secret-1']])
  })

  it('forgets a string two users sent, or that the server sent another user first', () => {
    const taint = new CanaryTaint()
    taint.learn('alice', ['room-42-lobby'])
    taint.learn('bob', ['room-42-lobby'])
    expect(taint.foreignOwners('carol', ['room-42-lobby']).size).toBe(0)
    expect(taint.counts.shared).toBe(1)

    taint.foreignOwners('bob', ['invite-7f3a9'])
    taint.learn('alice', ['invite-7f3a9'])
    expect(taint.foreignOwners('carol', ['invite-7f3a9']).size).toBe(0)

    // The server handing a user their own token, which they send back, keeps it theirs.
    taint.foreignOwners('alice', ['token-alice-9'])
    taint.learn('alice', ['token-alice-9'])
    expect([...taint.foreignOwners('bob', ['token-alice-9']).keys()]).toEqual(['alice'])
  })

  it('never learns a field name of the protocol', () => {
    const taint = new CanaryTaint()
    taint.noteFieldName('field_v2_name')
    taint.learn('alice', ['field_v2_name'])
    expect(taint.foreignOwners('bob', ['field_v2_name']).size).toBe(0)
  })

  it('keeps at most its bound per user, oldest out', () => {
    const taint = new CanaryTaint(3)
    taint.learn('alice', ['secret-1x', 'secret-2x', 'secret-3x', 'secret-4x'])
    expect(taint.size).toBe(3)
    expect(taint.counts).toMatchObject({ learned: 4, evicted: 1 })
    expect(taint.foreignOwners('bob', ['secret-1x']).size).toBe(0)
    expect(taint.foreignOwners('bob', ['secret-4x']).size).toBe(1)
  })

  it('keeps at most its bound in all, the least recent user losing their oldest first', () => {
    const taint = new CanaryTaint()
    const perUser = 101
    const users = Math.ceil(MAX_CANARIES / perUser) + 1
    for (let user = 0; user < users; user++)
      taint.learn(
        `user${user}`,
        Array.from({ length: perUser }, (_, index) => `secret-${user}-${index}x`)
      )
    expect(taint.size).toBe(MAX_CANARIES)
    expect(taint.counts.evicted).toBe(users * perUser - MAX_CANARIES)
    expect(taint.foreignOwners('someone', ['secret-0-0x']).size).toBe(0)
    expect([...taint.foreignOwners('someone', [`secret-${users - 1}-0x`]).keys()]).toEqual([
      `user${users - 1}`
    ])
  })
})
