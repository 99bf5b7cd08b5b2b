import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { TARGET_SCHEMA_PATH, targetJsonSchema } from '../../scripts/targetSchema'
import { CanaryIndex } from '../../src/main/target/canaryIndex'
import { parseFramePath, readIdAt } from '../../src/main/target/framePath'
import { createFrameReader } from '../../src/main/target/frameReader'
import { parseTargetFile } from '../../src/main/target/loadTargetFile'
import { prepareTarget } from '../../src/main/target/prepareTarget'
import { renderJsonTemplate, renderTemplate, TemplateError } from '../../src/main/target/template'
import { TargetFileError } from '../../src/main/target/targetFileError'
import { exampleTarget } from '../helpers/targetHarness'

function problemsOf(work: () => unknown): string[] {
  try {
    work()
  } catch (error) {
    if (error instanceof TargetFileError) return error.problems
    throw error
  }
  throw new Error('expected a TargetFileError')
}

const minimal = (extra: Record<string, unknown> = {}) =>
  parseTargetFile(
    't',
    JSON.stringify({ url: 'ws://127.0.0.1:1/ws', start: { text: '{{canary}}' }, ...extra })
  )

describe('target file', () => {
  it('has an up-to-date JSON Schema in docs/ (regenerate: npx tsx scripts/targetSchema.ts)', () => {
    expect(readFileSync(TARGET_SCHEMA_PATH, 'utf8')).toBe(targetJsonSchema())
  })

  it('prepares the example for N users: ids, tokens, unique canaries, token masked in messages', () => {
    const users = prepareTarget('example', exampleTarget(), { users: 3, nonce: 'abcd1234' })
    expect(users.map((user) => user.userId)).toEqual(['user_1', 'user_2', 'user_3'])
    expect(users[1]?.connection({}).url).toBe('ws://127.0.0.1:8787/ws?room=lobby&token=token-user_2')
    expect(users[1]?.displayUrl).toBe('ws://127.0.0.1:8787/ws?room=lobby&token=***')
    expect(users.map((user) => user.canary)).toEqual([
      'si-canary-1-abcd1234',
      'si-canary-2-abcd1234',
      'si-canary-3-abcd1234'
    ])
    const start = users[0]?.step(2, 0, {})
    expect(JSON.parse(start?.kind === 'send' ? start.text : '')).toEqual({
      type: 'start_run',
      message: 'run 2 of user_1, marker si-canary-1-abcd1234'
    })
  })

  it('applies the documented defaults: five agent events, 5 s connect, 30 s run', () => {
    const file = minimal()
    expect(Object.keys(file.events.types)).toEqual([
      'agent_started',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_completed'
    ])
    expect(file.timeouts).toEqual({ connectMs: 5_000, runMs: 30_000, settleMs: 250, ackMs: 10_000 })
    expect(file.events).toMatchObject({ type: 'type', userId: 'user_id', runId: 'run_id' })
  })

  it('names the field and the expectation for a schema problem or bad JSON', () => {
    expect(problemsOf(() => parseTargetFile('t', '{"url": 1}'))).toEqual([
      'url: Invalid input: expected string, received number (see docs/target-mode.md)',
      'start: required, but missing: give start (what a user sends) or run (the steps of a run) (see docs/target-mode.md)'
    ])
    expect(problemsOf(() => parseTargetFile('t', '{'))[0]).toMatch(/^not JSON: /)
    expect(problemsOf(() => minimal({ auth: { in: 'cookie' } }))[0]).toMatch(/^auth\.in: /)
  })

  it('says what an unknown key should be: the key it most likely meant, else every key allowed there', () => {
    const see = '(see docs/target-mode.md)'
    expect(
      problemsOf(() =>
        minimal({
          event: {},
          events: { userID: '/u', types: { agent_start: 'a', finished: 'b' } },
          login: [{ url: 'http://h/login', captures: {} }],
          bogus: 1
        })
      )
    ).toEqual([
      `login.0: unknown key "captures"; did you mean "capture"? ${see}`,
      `events.types: unknown key "agent_start"; did you mean "agent_started"? ${see}`,
      `events.types: unknown key "finished"; expected one of agent_started, agent_thinking, tool_executing, tool_completed, agent_completed ${see}`,
      `events: unknown key "userID"; did you mean "userId"? ${see}`,
      `(root): unknown key "event"; did you mean "events"? ${see}`,
      `(root): unknown key "bogus"; expected one of $schema, description, protocol, url, socketio, headers, cookies, subprotocols, tls, connections, login, users, auth, ready, start, run, heartbeat, events, canary, timeouts, load ${see}`
    ])
  })

  it('refuses what cannot work before connecting: unknown variables, too few tokens, no canary sent, bad url', () => {
    expect(
      problemsOf(() => prepareTarget('t', minimal({ start: { m: '{{canary}} {{room}}' } }), { users: 1 }))
    ).toEqual([
      'start.m: unknown variable {{room}}; expected one of {{canary}}, {{index}}, {{nonce}}, {{run}}, {{token}}, {{user_id}}'
    ])
    expect(problemsOf(() => prepareTarget('t', minimal({ users: { tokens: ['a'] } }), { users: 2 }))).toEqual(
      ['users.tokens: lists 1 token(s) but --users is 2; add tokens or use users.token']
    )
    expect(problemsOf(() => prepareTarget('t', minimal({ start: { type: 'go' } }), { users: 1 }))[0]).toMatch(
      /^start: no template uses \{\{canary\}\}/
    )
    expect(problemsOf(() => prepareTarget('t', minimal({ users: { id: 'same' } }), { users: 2 }))).toEqual([
      "users.id: renders 'same' for users 1 and 2; include {{index}}"
    ])
    expect(problemsOf(() => prepareTarget('t', minimal({ users: { ids: ['a'] } }), { users: 2 }))).toEqual([
      'users.ids: lists 1 id(s) but --users is 2; add ids or use users.id'
    ])
    expect(
      problemsOf(() => prepareTarget('t', minimal({ users: { ids: ['a', 'a'] } }), { users: 2 }))
    ).toEqual(["users.ids: lists 'a' for users 1 and 2; each user needs an id of its own"])
    expect(problemsOf(() => prepareTarget('t', minimal(), { users: 1, url: 'http://x/ws' }))).toEqual([
      "--url: 'http://x/ws' uses http:; expected ws:// or wss://"
    ])
    expect(
      problemsOf(() =>
        prepareTarget('t', minimal({ canary: { values: ['marker-1', 'marker-11'] } }), { users: 2 })
      )[0]
    ).toMatch(/^canary: 'marker-1' \(user user_1\) is part of 'marker-11'/)
  })
})

describe('templates', () => {
  it('substitutes {{name}} and nothing else: no expressions, unknown names are errors', () => {
    expect(renderTemplate('f', 'Bearer {{ token }}-{{token}}', { token: 't' })).toBe('Bearer t-t')
    expect(() => renderTemplate('f', '{{constructor}}', { token: 't' })).toThrow(TemplateError)
    expect(() => renderTemplate('f', '{{token.length}}', { token: 't' })).toThrow(
      'f: unknown variable {{token.length}}; expected one of {{token}}'
    )
    expect(renderJsonTemplate('start', { a: ['{{x}}', 1, null], '{{x}}': true }, { x: 'v' })).toEqual({
      a: ['v', 1, null],
      '{{x}}': true
    })
  })
})

describe('reading frames', () => {
  it('reads JSON pointers (with escapes) and dotted paths, into objects and arrays', () => {
    const frame = { 'a/b': { '~c': 'x' }, list: [{ id: 7 }], owner: { user: '' } }
    expect(readIdAt(frame, parseFramePath('/a~1b/~0c'), '/a~1b/~0c')).toEqual({ ok: true, value: 'x' })
    expect(readIdAt(frame, parseFramePath('list.0.id'), 'list.0.id')).toEqual({ ok: true, value: '7' })
    expect(readIdAt(frame, parseFramePath('owner.user'), 'owner.user')).toEqual({
      ok: false,
      problem: 'owner.user is an empty string, expected a non-empty string or a number'
    })
    expect(readIdAt(frame, parseFramePath('/owner/run/id'), '/owner/run/id')).toEqual({
      ok: false,
      problem: "no 'run' in 'owner' (path /owner/run/id), which has the keys user"
    })
  })

  it('says what is where a path stops: at most ten key names, never a value, or what kind of value it is', () => {
    const wide = Object.fromEntries(Array.from({ length: 12 }, (_, k) => [`k${k}`, `secret-${k}`]))
    const wideProblem = readIdAt({ meta: wide }, parseFramePath('/meta/owner'), '/meta/owner')
    expect(wideProblem).toEqual({
      ok: false,
      problem:
        "no 'owner' in 'meta' (path /meta/owner), which has the keys k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, …"
    })
    expect(JSON.stringify(wideProblem)).not.toContain('secret')
    expect(readIdAt({ meta: [1, 2] }, parseFramePath('/meta/owner'), '/meta/owner')).toEqual({
      ok: false,
      problem: "no 'owner' in 'meta' (path /meta/owner), which is a list of 2"
    })
    expect(readIdAt({ meta: 'text' }, parseFramePath('meta.owner'), 'meta.owner')).toEqual({
      ok: false,
      problem: "no 'owner' in 'meta' (path meta.owner), which is a string"
    })
  })

  it('tells events from ignored, error, unknown, unparsed and owner-less frames', () => {
    const read = createFrameReader(exampleTarget())
    const owner = { user: 'u1', thread: 't1', run: 'r1' }
    expect(read('{"type":"welcome"}')).toEqual({ kind: 'ignored', type: 'welcome' })
    expect(read('{"type":"pong"}')).toEqual({ kind: 'ignored', type: 'pong' })
    expect(read('{"type":"error"}')).toEqual({ kind: 'server_error', type: 'error' })
    expect(read('{"type":"chat"}')).toEqual({ kind: 'other', type: 'chat' })
    expect(read('nope')).toMatchObject({ kind: 'unparsed' })
    expect(read('{"kind":"x"}')).toEqual({
      kind: 'unparsed',
      problem: "no readable type: no 'type' in the frame (path /type), which has the keys kind"
    })
    expect(read(JSON.stringify({ type: 'tool_completed', owner: { run: 'r1' } }))).toEqual({
      kind: 'unreadable',
      role: 'tool_completed',
      type: 'tool_completed',
      problem: "no 'user' in 'owner' (path /owner/user), which has the keys run",
      runId: 'r1'
    })
    expect(read(JSON.stringify({ type: 'agent_started', id: 'e1', owner, sent_at: 5 }))).toEqual({
      kind: 'event',
      role: 'agent_started',
      type: 'agent_started',
      userId: 'u1',
      runId: 'r1',
      threadId: 't1',
      eventId: 'e1',
      emittedAt: 5
    })
  })

  it('maps a backend’s own type names onto the roles it expects', () => {
    const read = createFrameReader(
      minimal({ events: { types: { agent_started: 'run.begin', agent_completed: 'run.end' } } })
    )
    expect(read('{"type":"run.end","user_id":"u","run_id":"r"}')).toMatchObject({
      kind: 'event',
      role: 'agent_completed'
    })
    expect(read('{"type":"agent_thinking","user_id":"u","run_id":"r"}')).toEqual({
      kind: 'other',
      type: 'agent_thinking'
    })
  })

  it('finds other users’ canaries in raw text, never the receiver’s own', () => {
    const index = new CanaryIndex([
      { userId: 'a', canary: 'cn-a-1234' },
      { userId: 'b', canary: 'cn-b.1234' }
    ])
    expect(index.foreignOwners('{"m":"cn-a-1234 and cn-b.1234 and cn-bx1234"}', 'a')).toEqual(['b'])
    expect(index.foreignOwners('cn-a-1234 cn-a-1234', 'b')).toEqual(['a'])
    expect(index.foreignOwners('nothing', 'a')).toEqual([])
  })
})
