import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { z } from 'zod'
import { runCli } from '../helpers/runCli'
import { createStaticRoot } from './webSupport/staticRoot'

const staticRoot = createStaticRoot()
const running = new Set<ChildProcess>()
afterAll(async () => {
  await Promise.all([...running].map(stop))
  staticRoot.remove()
})

const firstLineSchema = z.strictObject({
  url: z.string(),
  port: z.number().int().positive(),
  token: z.string(),
  pid: z.number().int().positive()
})

/** Starts `serve` through the launcher, as a CI script would, and resolves with its first stdout line. */
async function serve(args: string[]): Promise<{ child: ChildProcess; first: string }> {
  const child = spawn('./bin/session-inspector.mjs', ['serve', '--static', staticRoot.root, ...args], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  running.add(child)
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const lines = createInterface({ input: child.stdout! })
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => String(line)),
    once(child, 'exit').then(([code]) => {
      throw new Error(`serve exited with ${String(code)} before its first line: ${stderr}`)
    })
  ])
  lines.on('line', () => undefined)
  return { child, first }
}

async function stop(child: ChildProcess): Promise<number | string | null> {
  running.delete(child)
  if (child.exitCode !== null) return child.exitCode
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null]
  return code ?? signal
}

/** The control channel's handshake with this token: 'open', or the HTTP status of the refusal. */
async function handshake(port: number, token: string): Promise<string> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/control?token=${token}`, { perMessageDeflate: false })
  socket.on('error', () => undefined)
  return new Promise((resolve) => {
    socket.once('open', () => {
      socket.close()
      resolve('open')
    })
    socket.once('unexpected-response', (_request, response) => {
      socket.terminate()
      resolve(String(response.statusCode))
    })
  })
}

describe('serve --json', { timeout: 60_000 }, () => {
  it('prints one JSON line first: url, port, token and pid, and the token opens the control channel', async () => {
    const { child, first } = await serve(['--json'])
    const line = firstLineSchema.parse(JSON.parse(first))
    expect(line.url).toBe(`http://127.0.0.1:${line.port}/?token=${line.token}`)
    // The launcher runs the CLI in its own process, so the pid is the one to signal.
    expect(line.pid).toBe(child.pid)
    expect(line.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(await handshake(line.port, line.token)).toBe('open')
    expect(await handshake(line.port, 'x'.repeat(43))).toBe('401')
    expect(await stop(child)).toBe(0)
  })

  it('without --json still prints the bare URL first', async () => {
    const { child, first } = await serve([])
    expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/)
    expect(await stop(child)).toBe(0)
  })
})

describe('serve --token', { timeout: 60_000 }, () => {
  it('uses the given token for the URL, the page and the control channel, every launch', async () => {
    const token = 'ci-0123456789abcdef0123456789abcdef'
    for (let launch = 0; launch < 2; launch += 1) {
      const { child, first } = await serve(['--json', '--token', token])
      const line = firstLineSchema.parse(JSON.parse(first))
      expect(line.token).toBe(token)
      expect(line.url).toBe(`http://127.0.0.1:${line.port}/?token=${token}`)
      expect(await handshake(line.port, token)).toBe('open')
      const page = await fetch(line.url)
      expect(page.status).toBe(200)
      expect(await stop(child)).toBe(0)
    }
  })

  const refused = [
    ['too short', 'a'.repeat(31)],
    ['too long', 'a'.repeat(129)],
    ['a character outside A-Z a-z 0-9 _ -', `${'a'.repeat(31)}+`],
    ['a space', `${'a'.repeat(16)} ${'a'.repeat(16)}`],
    ['empty', '']
  ] as const
  for (const [what, token] of refused) {
    it(`refuses a token ${what} with exit 2 and a message naming --token`, async () => {
      const outcome = await runCli(['serve', '--static', staticRoot.root, '--token', token])
      expect(outcome.code).toBe(2)
      expect(outcome.stderr).toContain('serve: --token: must be 32 to 128 characters of A-Z a-z 0-9 _ -')
      expect(outcome.stderr).not.toMatch(/\n\s+at /)
      expect(outcome.stdout).toBe('')
    })
  }

  it('accepts the shortest and the longest token', async () => {
    for (const token of ['A'.repeat(32), '_-'.repeat(64)]) {
      const { child, first } = await serve(['--json', '--token', token])
      expect(firstLineSchema.parse(JSON.parse(first)).token).toBe(token)
      expect(await stop(child)).toBe(0)
    }
  })
})

describe('serve refusing to start', { timeout: 60_000 }, () => {
  it('says in one line, exit 2, that --static holds no built renderer', async () => {
    const outcome = await runCli(['serve', '--static', staticRoot.root + '/nowhere'])
    expect(outcome.code).toBe(2)
    expect(outcome.stderr).toMatch(
      /^--static: Web mode serves the built renderer, but .*nowhere\/index\.html does not exist/
    )
    expect(outcome.stderr).not.toMatch(/\n\s+at /)
  })

  it('says in one line, exit 2, that --port is taken', async () => {
    const { child, first } = await serve(['--json'])
    const { port } = firstLineSchema.parse(JSON.parse(first))
    const outcome = await runCli(['serve', '--static', staticRoot.root, '--port', String(port)])
    expect(outcome.code).toBe(2)
    expect(outcome.stderr).toMatch(new RegExp(`^--port: 127\\.0\\.0\\.1:${port} is already in use`))
    expect(outcome.stderr).not.toMatch(/\n\s+at /)
    expect(await stop(child)).toBe(0)
  })
})
