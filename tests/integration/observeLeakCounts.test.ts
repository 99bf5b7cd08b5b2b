import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/runCli'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const T0 = 1_796_308_163.614521
const message = (type: 'send' | 'receive', dt: number, data: unknown) => ({
  type,
  time: T0 + dt,
  opcode: 1,
  data: JSON.stringify(data)
})

/** One connection as Chrome DevTools exports it: the user in a cookie, times in seconds. */
function chromeEntry(user: string, messages: unknown[]) {
  return {
    _resourceType: 'websocket',
    _priority: null,
    cache: {},
    connection: '81234',
    startedDateTime: '2026-12-03T14:29:23.597Z',
    time: 1.2,
    request: {
      method: 'GET',
      url: 'ws://localhost:3000/live',
      httpVersion: 'HTTP/1.1',
      headers: [
        { name: 'Host', value: 'localhost:3000' },
        { name: 'Cookie', value: `theme=dark; user=${user}` }
      ],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0
    },
    response: {
      status: 101,
      statusText: 'Switching Protocols',
      httpVersion: 'HTTP/1.1',
      headers: [],
      cookies: [],
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
      _error: null
    },
    timings: { blocked: -1, dns: -1, ssl: -1, connect: -1, send: 0, wait: 0, receive: 0 },
    _webSocketMessages: messages
  }
}

describe('observe --har: per-user leak counts', () => {
  it('counts a frame caught by owner id and by canary once for its receiver and once for its owner', async () => {
    const aliceReply = { for: 'alice', text: 'ok shipping A77-3321' }
    const bobReply = { for: 'bob', text: 'ok refund B55-9090' }
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'WebInspector', version: '537.36' },
        pages: [],
        entries: [
          chromeEntry('alice', [
            message('send', 0.01, { text: 'please ship order A77-3321' }),
            message('receive', 0.03, aliceReply),
            message('receive', 0.06, bobReply)
          ]),
          chromeEntry('bob', [
            message('send', 0.02, { text: 'refund B55-9090 to my card' }),
            message('receive', 0.045, aliceReply),
            message('receive', 0.061, bobReply)
          ])
        ]
      }
    }
    const dir = mkdtempSync(join(tmpdir(), 'observe-leak-counts-'))
    dirs.push(dir)
    const path = join(dir, 'chrome.har')
    writeFileSync(path, JSON.stringify(har))
    const { code, stdout } = await runCli([
      'observe',
      '--har',
      path,
      '--user-from',
      'cookie:user',
      '--owner-id',
      '/for',
      '--json'
    ])
    expect(code).toBe(1)
    const summary = JSON.parse(stdout) as {
      leaks: { total: number; byOwnerId: unknown[]; byCanary: unknown[] }
      users: Array<{ user_id: string; leaksReceived: number; leaksCaused: number }>
    }
    expect(summary.leaks.total).toBe(2)
    expect(summary.leaks.byOwnerId).toHaveLength(2)
    expect(summary.leaks.byCanary).toHaveLength(2)
    expect(summary.users.map((user) => [user.user_id, user.leaksReceived, user.leaksCaused])).toEqual([
      ['alice', 1, 1],
      ['bob', 1, 1]
    ])
  })
})
