import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A HAR of `users` connections, so that the summary (a line per user) is far more than a pipe's buffer. */
function manyUsersHar(users: number): string {
  const entries = Array.from({ length: users }, (_, index) => ({
    startedDateTime: '2026-12-03T14:29:23.597Z',
    time: 1,
    _resourceType: 'websocket',
    request: {
      method: 'GET',
      url: 'ws://localhost:3000/live',
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'Cookie', value: `user=user-${index}` }],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0
    },
    response: { status: 101, statusText: 'Switching Protocols', headers: [] },
    _webSocketMessages: [
      { type: 'receive', time: 1_796_308_163 + index / 1000, opcode: 1, data: '{"for":"x"}' }
    ]
  }))
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'test', version: '1' }, entries } })
}

describe('the CLI with a reader that stops early (| head)', () => {
  it('exits with its own code, without a stack trace, when stdout is closed under it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-closed-stdout-'))
    dirs.push(dir)
    const har = join(dir, 'many.har')
    writeFileSync(har, manyUsersHar(3_000))
    const child = spawn(
      process.execPath,
      ['bin/session-inspector.mjs', 'observe', '--har', har, '--user-from', 'cookie:user'],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] }
    )
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    // Read the first chunk, then close the pipe as `head -1` does: the rest (over 200 KB) cannot be written.
    child.stdout.once('data', () => child.stdout.destroy())
    const [code] = (await once(child, 'exit')) as [number | null]
    expect(stderr).not.toMatch(/EPIPE|at .*:\d+:\d+/)
    expect(code).toBe(0)
  })
})
