import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { replayHar } from '../../src/main/observe/har/auditHar'
import { harConnections, HarError, readHarConnections } from '../../src/main/observe/har/readHar'
import { recordingToHar } from '../../src/main/observe/har/recordingToHar'
import { ObservedSession } from '../../src/main/observe/observedSession'
import type { ObserveSummary } from '../../src/main/observe/observeSummary'
import { parseUserRules } from '../../src/main/observe/userRules'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { Recorder } from '../../src/main/runtime/inspection/recorder'
import { observeHarCommand } from '../../src/main/cli/observeHarCommand'
import { runCli } from '../helpers/runCli'
import { connectChat, startObservedChat } from '../helpers/observedChat'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'observe-har-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** HAR 1.2's required fields (http://www.softwareishard.com/blog/har-12-spec/), for checking what we write. */
const nameValue = z.strictObject({ name: z.string(), value: z.string() })
const strictHar = z.strictObject({
  log: z.strictObject({
    version: z.literal('1.2'),
    creator: z.strictObject({ name: z.string(), version: z.string() }),
    pages: z.array(z.unknown()),
    entries: z.array(
      z.strictObject({
        startedDateTime: z.iso.datetime(),
        time: z.number().nonnegative(),
        request: z.strictObject({
          method: z.literal('GET'),
          url: z.url(),
          httpVersion: z.string(),
          cookies: z.array(nameValue),
          headers: z.array(nameValue),
          queryString: z.array(nameValue),
          headersSize: z.number(),
          bodySize: z.number()
        }),
        response: z.strictObject({
          status: z.literal(101),
          statusText: z.string(),
          httpVersion: z.string(),
          cookies: z.array(nameValue),
          headers: z.array(nameValue),
          content: z.strictObject({ size: z.number(), mimeType: z.string() }),
          redirectURL: z.string(),
          headersSize: z.number(),
          bodySize: z.number()
        }),
        cache: z.strictObject({}),
        timings: z.object({ send: z.number(), wait: z.number(), receive: z.number() }),
        _resourceType: z.literal('websocket'),
        _sessionInspector: z.strictObject({ connection_id: z.string(), user_id: z.string().nullable() }),
        _webSocketMessages: z.array(
          z.strictObject({
            type: z.enum(['send', 'receive']),
            time: z.number(),
            opcode: z.union([z.literal(1), z.literal(2)]),
            data: z.string()
          })
        )
      })
    )
  })
})

/** The verdict part of a summary: what two audits of the same session must agree on. */
const verdict = (summary: ObserveSummary) => ({
  leaks: summary.leaks,
  users: summary.users,
  connections: summary.connections.total,
  unattributed: summary.connections.unattributed,
  frames: { clientToServer: summary.frames.clientToServer, serverToClient: summary.frames.serverToClient }
})

function auditHar(paths: string[], rules: string[], ownerIds: string[] = []): ObserveSummary {
  return auditConnections(
    paths.flatMap((path) => harConnections(path, readFileSync(path, 'utf8'))),
    rules,
    ownerIds
  )
}

function auditConnections(
  connections: ReturnType<typeof harConnections>,
  rules: string[],
  ownerIds: string[] = []
): ObserveSummary {
  const session = new ObservedSession({
    bus: new InspectionBus(),
    rules: parseUserRules(rules),
    ownerIds,
    source: 'har'
  })
  replayHar(connections, session)
  return session.summary()
}

/** A HAR as Chrome DevTools writes one: times in seconds, cookies in request.cookies, binary in base64. */
function chromeHar(): object {
  const entry = (user: string, messages: object[], status = 101) => ({
    startedDateTime: '2026-12-03T10:00:00.000Z',
    time: 10,
    request: {
      method: 'GET',
      url: `ws://localhost:8080/socket?room=7`,
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'Host', value: 'localhost:8080' }],
      cookies: [{ name: 'sid_user', value: user }],
      queryString: [],
      headersSize: -1,
      bodySize: 0
    },
    response: { status, statusText: 'Switching Protocols', headers: [], cookies: [] },
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
    ...(status === 101 ? { _resourceType: 'websocket' } : {}),
    _webSocketMessages: messages
  })
  const t0 = Date.parse('2026-12-03T10:00:00.000Z') / 1000
  return {
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      pages: [],
      entries: [
        {
          ...entry('none', []),
          request: { ...entry('none', []).request, url: 'http://localhost:8080/app.js' },
          response: { status: 200 },
          _resourceType: 'script'
        },
        entry('alice', [
          { type: 'send', time: t0 + 1, opcode: 1, data: '{"type":"note","text":"alice diary 55-kappa"}' },
          { type: 'receive', time: t0 + 1.1, opcode: 1, data: '{"type":"ok","owner":"alice"}' },
          { type: 'send', time: t0 + 1.2, opcode: 2, data: Buffer.from('raw').toString('base64') }
        ]),
        entry('bob', [
          {
            type: 'receive',
            time: t0 + 2,
            opcode: 1,
            data: '{"type":"note","text":"alice diary 55-kappa","owner":"alice"}'
          },
          { type: 'receive', time: t0 + 2.5, opcode: 9, data: '' }
        ])
      ]
    }
  }
}

describe('HAR out and back in', () => {
  it('exports a live session as HAR 1.2 that audits back to the same verdict', async () => {
    const dir = tempDir()
    const rules = ['cookie:user']
    const bus = new InspectionBus()
    const live = new ObservedSession({
      bus,
      rules: parseUserRules(rules),
      ownerIds: ['/owner'],
      source: 'live'
    })
    const recorder = new Recorder(bus, join(dir, 'live.ndjson'), { includeHistory: true })
    const chat = await startObservedChat(live, { broadcastBug: true })
    cleanups.push(() => chat.close())
    const alice = await connectChat(`${chat.url}/ws?room=1`, {
      headers: { cookie: 'theme=dark; user=alice' }
    })
    const bob = await connectChat(`${chat.url}/ws?room=1`, { headers: { cookie: 'user=bob' } })
    const nobody = await connectChat(`${chat.url}/ws?room=1`)
    alice.say('alice ticket 7731-QX')
    await bob.waitFor((text) => text.includes('7731-QX'))
    bob.socket.send(Buffer.from([0, 1, 2, 255]))
    await bob.waitFor((text) => text.includes('binary_ack'))
    for (const client of [alice, bob, nobody]) await client.close()
    await recorder.close()

    const liveSummary = live.summary()
    expect(liveSummary.leaks.total).toBeGreaterThan(0)
    const harPath = join(dir, 'live.har')
    const written = await recordingToHar(join(dir, 'live.ndjson'), harPath)
    expect(written.entries).toBe(3)
    const har = JSON.parse(readFileSync(harPath, 'utf8')) as unknown
    const checked = strictHar.safeParse(har)
    expect(checked.success ? 'valid HAR 1.2' : checked.error.issues).toBe('valid HAR 1.2')
    const binary = strictHar
      .parse(har)
      .log.entries.flatMap((entry) => entry._webSocketMessages)
      .find((message) => message.opcode === 2)
    expect(binary).toMatchObject({ type: 'send', data: Buffer.from([0, 1, 2, 255]).toString('base64') })

    expect(verdict(auditHar([harPath], rules, ['/owner']))).toEqual(verdict(liveSummary))
  })

  it("exports a real load run's recording: auditing its HAR finds the load's violations, each naming both users", async () => {
    const dir = tempDir()
    const recording = join(dir, 'load.ndjson')
    const load = await runCli([
      'load',
      '--users',
      '2',
      '--runs',
      '1',
      '--fault',
      'shared_singleton_manager',
      '--record',
      recording,
      '--json'
    ])
    expect(load.code).toBe(1)
    const loadReport = JSON.parse(load.stdout) as { violations: number }
    const harPath = join(dir, 'load.har')
    expect(await recordingToHar(recording, harPath)).toMatchObject({ entries: 2 })
    expect(strictHar.safeParse(JSON.parse(readFileSync(harPath, 'utf8'))).success).toBe(true)
    const summary = auditHar([harPath], ['header:x-session-inspector-user'], ['/user_id'])
    expect(summary.leaks.total).toBe(loadReport.violations)
    const pairs = summary.leaks.byOwnerId.map((leak) => [leak.owner, leak.receiver])
    expect(pairs).toHaveLength(2)
    for (const [owner, receiver] of pairs) expect(pairs).toContainEqual([receiver, owner])
  }, 120_000)

  it('exports a target-style recording with one synthesized connection per user', async () => {
    const dir = tempDir()
    const recording = join(dir, 'load.ndjson')
    const context = (user: string) => ({ user_id: user, thread_id: 't', run_id: 'r', request_id: 'q' })
    const lines = [
      { format: 'session-inspector-recording', version: 2 },
      {
        kind: 'user_connected',
        connection_id: 'c1',
        context: context('u1'),
        manager_id: 'm1',
        seq: 0,
        ts: 1000
      },
      {
        kind: 'user_connected',
        connection_id: 'c2',
        context: context('u2'),
        manager_id: 'm1',
        seq: 1,
        ts: 1001
      },
      ...[0, 1].map((index) => ({
        kind: 'agent_event_delivered',
        event_id: `e${index}`,
        type: 'agent_started',
        run_id: 'run-u1-1',
        owner_user_id: 'u1',
        receiver_user_id: index === 0 ? 'u1' : 'u2',
        latency_ms: 1,
        seq: 2 + index,
        ts: 1002 + index
      }))
    ]
    writeFileSync(recording, lines.map((line) => JSON.stringify(line)).join('\n') + '\n')
    const harPath = join(dir, 'load.har')
    expect(await recordingToHar(recording, harPath)).toEqual({ entries: 2, messages: 2 })
    const summary = auditHar([harPath], ['header:x-session-inspector-user'], ['/user_id'])
    expect(summary.connections).toMatchObject({ total: 2, attributed: 2 })
    expect(summary.leaks.byOwnerId).toEqual([{ owner: 'u1', receiver: 'u2', pointer: '/user_id', frames: 1 }])
  })
})

describe('HAR in', () => {
  it("audits a Chrome DevTools HAR: both users' sessions, the leak naming both", () => {
    const connections = harConnections('chrome.har', JSON.stringify(chromeHar()))
    expect(connections).toHaveLength(2)
    expect(connections[0]?.request).toEqual({
      url: '/socket?room=7',
      headers: { host: 'localhost:8080', cookie: 'sid_user=alice' }
    })
    const summary = auditConnections(connections, ['cookie:sid_user'], ['/owner'])
    expect(summary.leaks.byOwnerId).toEqual([
      { owner: 'alice', receiver: 'bob', pointer: '/owner', frames: 1 }
    ])
    expect(summary.leaks.byCanary).toEqual([
      { owner: 'alice', receiver: 'bob', frames: 1, example: 'alice diary 55-kappa' }
    ])
    expect(summary.frames).toMatchObject({ clientToServer: 2, serverToClient: 2, binary: 1 })
  })

  it.each([
    [{}, 'log: '],
    [{ log: { version: '1.2', creator: { name: 'x', version: '1' } } }, 'log.entries: '],
    [{ log: { version: 1.2, creator: { name: 'x', version: '1' }, entries: [] } }, 'log.version: '],
    [
      {
        log: {
          version: '1.2',
          creator: { name: 'x', version: '1' },
          entries: [
            {
              startedDateTime: 'x',
              request: { method: 'GET', url: 5, headers: [] },
              response: { status: 101 }
            }
          ]
        }
      },
      'log.entries[0].request.url: '
    ],
    [
      {
        log: {
          version: '1.2',
          creator: { name: 'x', version: '1' },
          entries: [
            {
              startedDateTime: 'x',
              request: { method: 'GET', url: 'ws://h/', headers: [] },
              response: { status: 101 },
              _webSocketMessages: [{ type: 'sent', time: 1, opcode: 1, data: '' }]
            }
          ]
        }
      },
      'log.entries[0]._webSocketMessages[0].type: '
    ]
  ])('refuses a file that is not HAR, naming the field (%#)', (json, field) => {
    expect(() => harConnections('bad.har', JSON.stringify(json))).toThrow(HarError)
    expect(() => harConnections('bad.har', JSON.stringify(json))).toThrow(`bad.har: not a HAR: ${field}`)
  })

  it('refuses text that is not JSON, and a missing file, by name', async () => {
    expect(() => harConnections('x.har', 'GET / HTTP/1.1')).toThrow(/x\.har: not a HAR: not JSON/)
    await expect(readHarConnections('/nonexistent/x.har')).rejects.toThrow(/x\.har: cannot read \(ENOENT\)/)
  })
})

describe('observe --har', () => {
  it('records the audit, and the recording exports to a HAR that audits the same', async () => {
    const dir = tempDir()
    const harPath = join(dir, 'chrome.har')
    writeFileSync(harPath, JSON.stringify(chromeHar()))
    const recording = join(dir, 'audit.ndjson')
    const printed: string[] = []
    const args = ['--user-from', 'cookie:sid_user', '--owner-id', '/owner', '--json']
    const code = await observeHarCommand(['--har', harPath, ...args, '--record', recording], (line) =>
      printed.push(line)
    )
    expect(code).toBe(1)
    const first = JSON.parse(printed.join('\n')) as ObserveSummary
    await recordingToHar(recording, join(dir, 'again.har'))
    const again: string[] = []
    expect(
      await observeHarCommand(['--har', join(dir, 'again.har'), ...args], (line) => again.push(line))
    ).toBe(1)
    expect(verdict(JSON.parse(again.join('\n')) as ObserveSummary)).toEqual(verdict(first))
  })

  it('judges by owner ids alone with --no-canaries', async () => {
    const dir = tempDir()
    const harPath = join(dir, 'chrome.har')
    writeFileSync(harPath, JSON.stringify(chromeHar()))
    const printed: string[] = []
    const code = await observeHarCommand(
      ['--har', harPath, '--user-from', 'cookie:sid_user', '--owner-id', '/owner', '--no-canaries', '--json'],
      (line) => printed.push(line)
    )
    expect(code).toBe(1)
    const summary = JSON.parse(printed.join('\n')) as ObserveSummary
    expect(summary.leaks.byCanary).toEqual([])
    expect(summary.leaks.byOwnerId).toEqual([
      { owner: 'alice', receiver: 'bob', pointer: '/owner', frames: 1 }
    ])
    expect(summary.canaries.learned).toBe(0)
  })

  // Each CLI run is a tsx start-up (seconds on a busy machine): they run side by side.
  it('audits HAR files from the command line: a leak exits 1 naming both users; not HAR exits 2 naming the field', async () => {
    const dir = tempDir()
    const harPath = join(dir, 'chrome.har')
    writeFileSync(harPath, JSON.stringify(chromeHar()))
    const notHar = join(dir, 'not.har')
    writeFileSync(
      notHar,
      JSON.stringify({ log: { version: '1.2', creator: { name: 'x', version: '1' }, entries: {} } })
    )
    const [leak, text, refused, badRule, both] = await Promise.all([
      runCli([
        'observe',
        '--har',
        harPath,
        '--user-from',
        'cookie:sid_user',
        '--owner-id',
        '/owner',
        '--json'
      ]),
      runCli(['observe', '--har', harPath, '--user-from', 'cookie:sid_user']),
      runCli(['observe', '--har', notHar, '--user-from', 'cookie:sid_user']),
      runCli(['observe', '--har', harPath, '--user-from', 'cookie']),
      runCli(['observe', '--har', harPath, '--upstream', 'ws://127.0.0.1:1', '--user-from', 'cookie:a'])
    ])
    expect(leak.code).toBe(1)
    const summary = JSON.parse(leak.stdout) as ObserveSummary & { exitCode: number }
    expect(summary.leaks.byOwnerId).toEqual([
      { owner: 'alice', receiver: 'bob', pointer: '/owner', frames: 1 }
    ])
    expect(summary.exitCode).toBe(1)
    expect(text.code).toBe(1)
    expect(text.stdout).toContain("bob received 1 frame(s) carrying alice's canary 'alice diary 55-kappa'")
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('not a HAR: log.entries: ')
    expect(badRule.code).toBe(2)
    expect(badRule.stderr).toContain('--user-from')
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('not both')
  }, 120_000)
})

describe('the har command', () => {
  it('writes a HAR from a recording, and refuses a file that is not one (exit 2)', async () => {
    const dir = tempDir()
    const recording = join(dir, 'r.ndjson')
    writeFileSync(recording, '{"format":"session-inspector-recording","version":2}\n')
    writeFileSync(join(dir, 'not.ndjson'), '{"hello":1}\n')
    const [ok, bad, noOut] = await Promise.all([
      runCli(['har', recording, '--out', join(dir, 'r.har')]),
      runCli(['har', join(dir, 'not.ndjson'), '--out', join(dir, 'x.har')]),
      runCli(['har', recording])
    ])
    expect(ok).toMatchObject({ code: 0 })
    expect(ok.stdout).toContain('0 connection(s), 0 message(s)')
    expect(strictHar.safeParse(JSON.parse(readFileSync(join(dir, 'r.har'), 'utf8'))).success).toBe(true)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('line 1: not an inspection event')
    expect(noOut.code).toBe(2)
    expect(noOut.stderr).toContain('--out: required')
  }, 120_000)
})
