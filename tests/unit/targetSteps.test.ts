import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { parseTargetFile } from '../../src/main/target/loadTargetFile'
import { prepareTarget } from '../../src/main/target/prepareTarget'
import { TargetFileError } from '../../src/main/target/targetFileError'
import { CookieJar } from '../../src/main/target/transport/cookieJar'
import { captureValues } from '../../src/main/target/transport/captureValues'
import { runHttpStep } from '../../src/main/target/transport/httpStep'

/** The problems a target file is refused with, by zod (parse) or before connecting (prepare). */
function problemsOf(json: Record<string, unknown>, users = 2): string[] {
  try {
    prepareTarget('t', parseTargetFile('t', JSON.stringify(json)), { users, nonce: 'abcd1234' })
  } catch (error) {
    if (error instanceof TargetFileError) return error.problems
    throw error
  }
  return []
}

const SOCKET_IO = {
  protocol: 'socket.io',
  url: 'http://127.0.0.1:1',
  socketio: { namespace: '/agents', auth: { token: 'token-{{user_id}}' } },
  run: [{ emit: 'start', args: [{ text: '{{canary}}' }], ack: true, capture: { job: '/jobId' } }]
}

describe('target file: run steps, protocols and flows', () => {
  it('accepts start or run, not both and not neither', () => {
    expect(problemsOf({ url: 'ws://h:1/ws', start: '{{canary}}', run: [{ send: 1 }] })).toEqual([
      'run: give start or run, not both (see docs/target-mode.md)'
    ])
    expect(problemsOf({ url: 'ws://h:1/ws' })[0]).toMatch(/^start: required, but missing/)
  })

  it('names the step that does two things, or an option that belongs to emit', () => {
    expect(problemsOf({ url: 'ws://h:1/ws', run: [{ send: '{{canary}}', sendText: 'x' }] })).toEqual([
      'run.0: a step does exactly one thing: give one of send, sendText, emit or http (got send and sendText) (see docs/target-mode.md)'
    ])
    expect(problemsOf({ ...SOCKET_IO, run: [{ emit: 'go', capture: { job: '/jobId' } }] })).toEqual([
      'run.0.capture: capture reads the acknowledgement: add "ack": true (see docs/target-mode.md)'
    ])
    expect(problemsOf({ url: 'ws://h:1/ws', run: [{ sendText: '{{canary}}', ack: true }] })).toEqual([
      'run.0.ack: ack belongs to an emit step (see docs/target-mode.md)'
    ])
  })

  it('refuses what the protocol cannot do, naming the field', () => {
    expect(problemsOf({ url: 'ws://h:1/ws', run: [{ emit: 'go', args: ['{{canary}}'] }] })).toEqual([
      'run.0.emit: emit is a Socket.IO step; set "protocol": "socket.io", or use send'
    ])
    expect(problemsOf({ ...SOCKET_IO, run: undefined, start: { text: '{{canary}}' } })).toEqual([
      'start: a Socket.IO user starts a run with an emit step: "run": [{"emit": "...", "args": [...]}]'
    ])
    expect(problemsOf({ ...SOCKET_IO, subprotocols: ['v1'], auth: { in: 'message', message: {} } })).toEqual([
      'auth: a Socket.IO handshake carries auth in socketio.auth, e.g. {"token": "{{token}}"}',
      'subprotocols: Socket.IO does not negotiate subprotocols; remove them'
    ])
    expect(problemsOf({ url: 'ws://h:1/ws', socketio: {}, start: '{{canary}}' })).toEqual([
      'socketio: set "protocol": "socket.io" to use Socket.IO options'
    ])
    expect(problemsOf({ ...SOCKET_IO, url: 'ftp://h:1' })).toEqual([
      "url: 'ftp://h:1' uses ftp:; expected ws:// or wss:// or http:// or https://"
    ])
    expect(problemsOf({ ...SOCKET_IO, socketio: { auth: ['{{token}}'] } })).toEqual([
      'socketio.auth: the handshake auth payload must be a JSON object, e.g. {"token": "{{token}}"}'
    ])
  })

  it('a capture may be used only after the step that makes it', () => {
    const early = problemsOf({
      ...SOCKET_IO,
      run: [{ emit: 'go', args: [{ job: '{{captured.job}}', text: '{{canary}}' }] }, ...SOCKET_IO.run]
    })
    expect(early).toHaveLength(1)
    expect(early[0]).toMatch(
      /^run\.0\.args\.0\.job: unknown variable \{\{captured\.job\}\}; expected one of /
    )
    expect(
      problemsOf({ ...SOCKET_IO, run: [...SOCKET_IO.run, { emit: 'go', args: ['{{captured.job}}'] }] })
    ).toEqual([])
    // A login capture reaches the connection and every run; a run's capture never reaches the connection.
    expect(
      problemsOf({
        ...SOCKET_IO,
        login: [{ url: 'http://h:1/login', json: { user: '{{user_id}}' }, capture: { token: '/token' } }],
        socketio: { auth: { token: '{{captured.token}}' } }
      })
    ).toEqual([])
    expect(problemsOf({ ...SOCKET_IO, socketio: { auth: { token: '{{captured.job}}' } } })[0]).toMatch(
      /^socketio\.auth\.token: unknown variable \{\{captured\.job\}\}/
    )
  })

  it('checks HTTP steps, headers, cookies, connections and the CA file before connecting', () => {
    expect(problemsOf({ ...SOCKET_IO, login: [{ url: 'ftp://h/login' }] })).toEqual([
      "login.0.url: 'ftp://h/login' uses ftp:; expected http:// or https://"
    ])
    expect(problemsOf({ ...SOCKET_IO, login: [{ url: 'http://h/login', json: {}, body: 'x' }] })).toEqual([
      'login.0.body: give json or body, not both (see docs/target-mode.md)'
    ])
    expect(problemsOf({ ...SOCKET_IO, connections: 2, events: { ownership: 'connection' } })).toEqual([
      'connections: events.ownership "connection" tells runs apart per connection; use one connection, or ownership "ids" or "request"'
    ])
    expect(problemsOf({ ...SOCKET_IO, connections: 11 })[0]).toMatch(
      /^connections: Too big: expected number to be <=10/
    )
    expect(problemsOf({ ...SOCKET_IO, headers: { 'Bad Header': 'x' } })[0]).toMatch(/^headers/)
    const missing = problemsOf({ ...SOCKET_IO, tls: { ca: 'no-such-ca.pem' } })
    expect(missing).toHaveLength(1)
    expect(missing[0]).toMatch(/^tls\.ca: cannot read '.*no-such-ca\.pem' \(ENOENT/)
    expect(problemsOf({ ...SOCKET_IO, tls: { ca: 'package.json' } })[0]).toMatch(/holds no PEM certificate/)
  })

  it('a canary sent only in a run step, a header or an HTTP step counts as sent', () => {
    const base = { url: 'ws://h:1/ws' }
    expect(problemsOf({ ...base, run: [{ sendText: 'START {{canary}}' }] })).toEqual([])
    expect(problemsOf({ ...base, headers: { 'X-Marker': '{{canary}}' }, run: [{ sendText: 'go' }] })).toEqual(
      []
    )
    expect(
      problemsOf({ ...base, run: [{ http: { url: 'http://h/runs', json: { text: '{{canary}}' } } }] })
    ).toEqual([])
    // Named by the field the file uses: a file of run steps has no start to fix.
    expect(problemsOf({ ...base, run: [{ sendText: 'go' }] })[0]).toMatch(
      /^run: no template uses \{\{canary\}\}/
    )
  })

  it('renders the Socket.IO connection: the namespace, the auth payload, a query token masked', () => {
    const file = parseTargetFile(
      't',
      JSON.stringify({
        ...SOCKET_IO,
        url: 'https://h:1/chat',
        socketio: { auth: { token: 'token-{{user_id}}' } },
        auth: { in: 'query', name: 'key', value: 'k-{{user_id}}' }
      })
    )
    const [user] = prepareTarget('t', file, { users: 1, nonce: 'abcd1234' })
    const plan = user?.connection({})
    expect(plan?.socketIo).toEqual({
      path: '/socket.io',
      namespace: '/chat',
      auth: { token: 'token-user_1' },
      transports: ['websocket'],
      query: { key: 'k-user_1' }
    })
    expect(plan?.displayUrl).toBe('https://h:1/chat?key=***')
    const step = user?.step(2, 0, {})
    expect(step?.kind === 'emit' && step.args).toEqual([{ text: 'si-canary-1-abcd1234' }])
  })
})

describe('HTTP steps', () => {
  it('a refused step names its field and method, with query values masked, and the reply', async () => {
    const server = createServer((_request, response) => response.writeHead(403).end('{"error":"no"}'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    try {
      const plan = {
        field: 'run.0.http',
        method: 'POST',
        url: `http://127.0.0.1:${port}/runs?token=secret&x=1`,
        headers: {},
        body: null,
        capture: {}
      }
      const options = {
        jar: new CookieJar({}),
        tls: { ca: undefined, rejectUnauthorized: true },
        timeoutMs: 5_000
      }
      await expect(runHttpStep(plan, options)).rejects.toThrow(
        `run.0.http: POST http://127.0.0.1:${port}/runs?token=***&x=*** answered HTTP 403: {"error":"no"}`
      )
    } finally {
      server.close()
    }
  })
})

describe('the cookie jar and captures', () => {
  it('keeps name=value from Set-Cookie, replaces by name, and drops an expired cookie', () => {
    const jar = new CookieJar({ theme: 'dark' })
    jar.absorb(['sid=abc; Path=/; HttpOnly', 'lang=en'])
    expect(jar.header()).toBe('theme=dark; sid=abc; lang=en')
    jar.absorb(['sid=def', 'lang=; Max-Age=0', 'theme=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT'])
    expect(jar.header()).toBe('sid=def')
    expect(new CookieJar({}).header()).toBeNull()
  })

  it('captures strings, numbers and booleans by pointer or dotted path, and names what is missing', () => {
    expect(
      captureValues(
        'run.0',
        { job: '/jobId', n: 'meta.n', ok: '/1' },
        { jobId: 'j1', meta: { n: 7 }, 1: true },
        'acknowledgement'
      )
    ).toEqual({ job: 'j1', n: '7', ok: 'true' })
    // What is there instead is named by its keys, never its values (a login reply holds a token).
    expect(() =>
      captureValues('run.0', { job: '/jobId' }, { ok: true, job: { id: 'J1' } }, 'acknowledgement')
    ).toThrow(
      "run.0.capture.job: no 'jobId' in the acknowledgement (path /jobId), which has the keys ok, job"
    )
    expect(() =>
      captureValues('login.0', { token: '/data/accessToken' }, { data: { token: 'secret-1' } }, 'reply')
    ).toThrow(
      "login.0.capture.token: no 'accessToken' in 'data' (path /data/accessToken), which has the keys token"
    )
    expect(() => captureValues('run.0', { job: '/0/id' }, [], 'acknowledgement')).toThrow(
      "run.0.capture.job: no '0' in the acknowledgement (path /0/id), which is a list of 0"
    )
    expect(() => captureValues('login.0', { token: '/token' }, { token: { a: 1 } }, 'reply')).toThrow(
      'login.0.capture.token: /token is object, expected a string, number or boolean'
    )
  })
})
