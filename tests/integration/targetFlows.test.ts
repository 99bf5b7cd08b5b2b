import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSocketIoBackend, type SocketIoBug } from '../fixtures/socketioBackend/socketioBackend'
import { startTextBackend, TEXT_SUBPROTOCOL } from '../fixtures/textBackend/textBackend'
import { runCli } from '../helpers/runCli'
import { runTargetJson } from '../helpers/targetJson'

const TIMEOUTS = { connectMs: 5_000, runMs: 10_000, settleMs: 100, ackMs: 5_000 }
const SOCKETIO_EVENTS = {
  type: '/event',
  userId: '/args/0/user_id',
  runId: '/args/0/run_id',
  errorType: 'error_event'
}

/** Log in over HTTP (the session cookie is kept), connect with that cookie alone, start each run with POST /runs. */
function loginFlow(origin: string): Record<string, unknown> {
  return {
    protocol: 'socket.io',
    url: origin,
    socketio: { namespace: '/agents' },
    login: [
      {
        method: 'POST',
        url: `${origin}/login`,
        json: { user: '{{user_id}}', password: 'pw-{{user_id}}' },
        capture: { token: '/token' }
      }
    ],
    ready: { type: 'welcome' },
    run: [{ http: { method: 'POST', url: `${origin}/runs`, json: { text: 'run {{run}} {{canary}}' } } }],
    events: SOCKETIO_EVENTS,
    timeouts: TIMEOUTS
  }
}

async function withSocketIo<T>(
  bug: SocketIoBug | null,
  work: (origin: string) => Promise<T>,
  tls?: Tls
): Promise<T> {
  const backend = await startSocketIoBackend({ bug, ...(tls ? { tls } : {}) })
  try {
    return await work(backend.origin)
  } finally {
    await backend.close()
  }
}

interface Tls {
  key: string
  cert: string
  dir: string
}

/** A self-signed certificate for 127.0.0.1, made now with openssl. */
function selfSignedCertificate(): Tls {
  const dir = mkdtempSync(join(tmpdir(), 'si-tls-'))
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem')
    ]),
    { stdio: 'ignore' }
  )
  return {
    key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    dir
  }
}

describe('target mode: multi-step flows', () => {
  it('logs in over HTTP, connects with the session cookie, starts runs with POST /runs: clean, exit 0', async () => {
    const { report, exitCode } = await withSocketIo(null, (origin) =>
      runTargetJson(loginFlow(origin), { users: 3, runs: 2 })
    )
    expect(report.users.connected).toBe(3)
    expect(report.runs.finished).toBe(6)
    expect(report.frames.events).toBe(30)
    expect(exitCode).toBe(0)
  })

  it('the same flow finds the broadcast bug on runs started over HTTP', async () => {
    const { report, exitCode } = await withSocketIo('broadcast', (origin) =>
      runTargetJson(loginFlow(origin), { users: 2, runs: 1 })
    )
    expect(exitCode).toBe(1)
    expect(report.leaks.map((leak) => `${leak.from}->${leak.to}:${leak.events}`)).toEqual([
      'user_1->user_2:5',
      'user_2->user_1:5'
    ])
  })

  it('uses a token captured from the login reply: in the handshake auth and a Bearer header, no cookie', async () => {
    const { exitCode, report } = await withSocketIo(null, (origin) => {
      const json = loginFlow(origin)
      json.login = [
        {
          url: `${origin}/login?cookie=0`,
          json: { user: '{{user_id}}', password: 'pw-{{user_id}}' },
          capture: { token: '/token' }
        }
      ]
      json.socketio = { namespace: '/agents', auth: { token: '{{captured.token}}' } }
      // A stale session cookie alone would be refused: only the captured token lets the user in.
      json.cookies = { sid: 'stale' }
      json.run = [
        {
          http: {
            url: `${origin}/runs`,
            headers: { Authorization: 'Bearer {{captured.token}}', Cookie: 'none=1' },
            json: { text: '{{canary}}' }
          }
        }
      ]
      return runTargetJson(json, { users: 2, runs: 1 })
    })
    expect(report.runs.finished).toBe(2)
    expect(exitCode).toBe(0)
  })

  it('logs in with a browser form whose 302 carries the session cookie (not followed, cookie kept)', async () => {
    const { report, exitCode } = await withSocketIo(null, (origin) => {
      const json = loginFlow(origin)
      json.login = [
        {
          url: `${origin}/login-form`,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: 'user={{user_id}}&password=pw-{{user_id}}'
        }
      ]
      return runTargetJson(json, { users: 2, runs: 1 })
    })
    expect(report.users.connected).toBe(2)
    expect(exitCode).toBe(0)
  })

  it('a refused login stops that user before it connects, naming the step and the reply', async () => {
    const { report, exitCode } = await withSocketIo(null, (origin) => {
      const json = loginFlow(origin)
      json.login = [{ url: `${origin}/login`, json: { user: '{{user_id}}', password: 'nope' } }]
      return runTargetJson(json, { users: 1, runs: 1 })
    })
    expect(exitCode).toBe(5)
    expect(report.users.failed[0]?.error).toBe(
      `login.0: POST ${report.url.replace(/\/$/, '')}/login answered HTTP 401: {"error":"bad credentials"}`
    )
  })

  it('a run start refused over HTTP stops those runs: the CLI names the step, the reply and the runs; exit 5', async () => {
    const result = await withSocketIo(null, async (origin) => {
      const json = loginFlow(origin)
      json.run = [{ http: { url: `${origin}/missing`, json: { text: '{{canary}}' } } }]
      const path = join(mkdtempSync(join(tmpdir(), 'si-flow-')), 'flow.target.json')
      writeFileSync(path, JSON.stringify(json))
      return runCli(['target', path, '--users', '2', '--runs', '1'])
    })
    expect(result.stderr).toBe('')
    expect(result.stdout).toContain('runs:               0 finished of 2, 2 stopped at a failed step')
    expect(result.stdout).toMatch(
      /\n {2}user_1 run 1, user_2 run 1 \(2 runs\): run\.0\.http: POST http:\/\/127\.0\.0\.1:\d+\/missing answered HTTP 404: \{"error":"not found"\}\n/
    )
    expect(result.stdout).toContain(
      'verdict:            incomplete: 2 run(s) stopped at a failed step (run.0.http: POST'
    )
    expect(result.code).toBe(5)
  }, 60_000)

  it('two connections per user: both tabs get all of their user’s events and nobody else’s', async () => {
    const { report, exitCode } = await withSocketIo(null, (origin) => {
      const json = loginFlow(origin)
      json.connections = 2
      return runTargetJson(json, { users: 2, runs: 2 })
    })
    expect(report.violations).toBe(0)
    expect(report.frames.events).toBe(40)
    expect(report.perUser.map((user) => [user.user_id, user.own, user.foreign])).toEqual([
      ['user_1', 20, 0],
      ['user_2', 20, 0]
    ])
    expect(exitCode).toBe(0)
  })

  it('two connections per user: a backend that keeps one socket per user starves the other tab (exit 3)', async () => {
    const { report, exitCode } = await withSocketIo('last_tab', (origin) => {
      const json = loginFlow(origin)
      json.connections = 2
      json.timeouts = { ...TIMEOUTS, runMs: 1_000 }
      return runTargetJson(json, { users: 2, runs: 1 })
    })
    expect(report.violations).toBe(0)
    expect(exitCode).toBe(3)
    // Each user's starved tab (whichever connected first) is reported with the whole run missing there.
    expect(report.runProblems).toHaveLength(2)
    for (const problem of report.runProblems) {
      expect(problem.received).toEqual([])
      expect(problem.missing).toHaveLength(5)
    }
  })

  it('two connections per user still catch a broadcast, on each tab', async () => {
    const { report, exitCode } = await withSocketIo('broadcast', (origin) => {
      const json = loginFlow(origin)
      json.connections = 2
      return runTargetJson(json, { users: 2, runs: 1 })
    })
    expect(exitCode).toBe(1)
    expect(report.leaks.map((leak) => `${leak.from}->${leak.to}:${leak.events}`)).toEqual([
      'user_1->user_2:10',
      'user_2->user_1:10'
    ])
  })
})

describe('target mode: plain WebSocket options', () => {
  /** Raw text START frames, a subprotocol, two headers and a cookie, as the text backend insists. */
  function textTarget(url: string): Record<string, unknown> {
    return {
      url,
      subprotocols: [TEXT_SUBPROTOCOL],
      headers: { 'X-Api-Key': 'key-{{user_id}}', 'X-Tenant': 'acme' },
      cookies: { session: 'sess-{{user_id}}' },
      run: [{ sendText: 'START {{run}} hello {{canary}}' }],
      events: { types: { agent_started: 'agent_started', agent_completed: 'agent_completed' } },
      timeouts: TIMEOUTS
    }
  }

  it('sends raw text frames with a subprotocol, headers and cookies: clean, exit 0', async () => {
    const backend = await startTextBackend()
    try {
      const { report, exitCode } = await runTargetJson(textTarget(backend.url), { users: 2, runs: 2 })
      expect(report.runs.finished).toBe(4)
      expect(report.frames.serverErrors).toBe(0)
      expect(exitCode).toBe(0)
    } finally {
      await backend.close()
    }
  })

  it('a start sent as JSON is not what a text protocol wants: the server’s error frames say so', async () => {
    const backend = await startTextBackend()
    try {
      const json = textTarget(backend.url)
      json.run = [{ send: 'START {{run}} hello {{canary}}' }]
      json.events = { ...(json.events as object), errorType: 'error' }
      json.timeouts = { ...TIMEOUTS, runMs: 500 }
      const { report } = await runTargetJson(json, { users: 1, runs: 1 })
      expect(report.frames.serverErrors).toBe(1)
      expect(report.runs.finished).toBe(0)
    } finally {
      await backend.close()
    }
  })

  it('without the subprotocol the handshake is refused, with the server’s reason', async () => {
    const backend = await startTextBackend()
    try {
      const json = textTarget(backend.url)
      delete json.subprotocols
      const { report, exitCode } = await runTargetJson(json, { users: 1, runs: 1 })
      expect(exitCode).toBe(5)
      expect(report.users.failed[0]?.error).toContain(`HTTP 401: subprotocol ${TEXT_SUBPROTOCOL} not offered`)
    } finally {
      await backend.close()
    }
  })

  describe('over TLS with a self-signed certificate', () => {
    let tls: Tls
    beforeAll(() => {
      tls = selfSignedCertificate()
    })
    afterAll(() => {})

    it('trusts the certificate given in tls.ca (relative to the target file), and refuses without it', async () => {
      const backend = await startTextBackend({ tls })
      try {
        writeFileSync(join(tls.dir, 'ca.pem'), tls.cert)
        const json = { ...textTarget(backend.url), tls: { ca: 'ca.pem' } }
        const trusted = await runTargetJson(json, { users: 1, runs: 1, baseDir: tls.dir })
        expect(trusted.exitCode).toBe(0)
        const refused = await runTargetJson(textTarget(backend.url), { users: 1, runs: 1 })
        expect(refused.exitCode).toBe(5)
        expect(refused.report.users.failed[0]?.error).toContain('self-signed certificate')
        expect(refused.report.users.failed[0]?.error).toContain('give the certificate authority in tls.ca')
      } finally {
        await backend.close()
      }
    })

    it('the CLI reads tls.ca relative to the target file, wherever it is run from', async () => {
      const backend = await startTextBackend({ tls })
      try {
        const path = join(tls.dir, 'text.target.json')
        writeFileSync(path, JSON.stringify({ ...textTarget(backend.url), tls: { ca: 'cert.pem' } }))
        const result = await runCli(['target', path, '--users', '2', '--runs', '1', '--json'])
        expect(result.stderr).toBe('')
        expect((JSON.parse(result.stdout) as { runs: { finished: number } }).runs.finished).toBe(2)
        expect(result.code).toBe(0)
      } finally {
        await backend.close()
      }
    }, 60_000)

    it('accepts it with tls.insecure', async () => {
      const backend = await startTextBackend({ tls })
      try {
        const json = { ...textTarget(backend.url), tls: { insecure: true } }
        expect((await runTargetJson(json, { users: 1, runs: 1 })).exitCode).toBe(0)
      } finally {
        await backend.close()
      }
    })

    it('logs in over HTTPS and connects to Socket.IO over WSS with the same CA', async () => {
      const outcome = await withSocketIo(
        null,
        (origin) =>
          runTargetJson(
            { ...loginFlow(origin), tls: { ca: join(tls.dir, 'cert.pem') } },
            { users: 2, runs: 1 }
          ),
        tls
      )
      expect(outcome.report.runs.finished).toBe(2)
      expect(outcome.exitCode).toBe(0)
    })
  })
})
