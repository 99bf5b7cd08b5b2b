import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { main } from '../../src/main/cli'
import { startObserveBackend, type ObserveBackend } from '../fixtures/observeBackend/observeBackend'
import { startObserve } from '../helpers/observeProcess'
import { runCli } from '../helpers/runCli'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A port nothing listens on: bound, read back, closed. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function backend(broadcastBug: boolean): Promise<ObserveBackend> {
  const started = await startObserveBackend({ broadcastBug })
  cleanups.push(() => started.close())
  return started
}

/** A user of the backend through observe: its cookie names it; resolves once the welcome came back. */
async function user(url: string, name: string): Promise<{ socket: WebSocket; received: string[] }> {
  const socket = new WebSocket(`${url}/socket`, { headers: { cookie: `user=${name}` } })
  cleanups.push(() => socket.terminate())
  const received: string[] = []
  socket.on('message', (data) => received.push(String(data)))
  await once(socket, 'message')
  return { socket, received }
}

async function receivedCount(
  client: { socket: WebSocket; received: string[] },
  count: number
): Promise<void> {
  while (client.received.length < count) await once(client.socket, 'message')
}

describe('observe: the command', () => {
  it('exits 5 naming the upstream when nothing answers there', async () => {
    const port = await closedPort()
    const outcome = await runCli([
      'observe',
      '--upstream',
      `ws://127.0.0.1:${port}`,
      '--user-from',
      'cookie:user'
    ])
    expect(outcome.code).toBe(5)
    expect(outcome.stderr).toContain(`the upstream ws://127.0.0.1:${port} is unreachable`)
    expect(outcome.stderr).toContain('ECONNREFUSED')
    expect(outcome.stdout).toBe('')
  })

  it('exits 2 naming the flag for bad arguments', async () => {
    // One through a real process for the exit code; the rest through the same entry point in this process.
    const noRule = await runCli(['observe', '--upstream', 'ws://127.0.0.1:9'])
    expect(noRule.code).toBe(2)
    expect(noRule.stderr).toContain('--user-from')
    const cases: Array<[string[], string]> = [
      [['--upstream', 'wss://example.com', '--user-from', 'cookie:user'], '--upstream: expected ws://'],
      [['--upstream', 'ws://127.0.0.1:9/socket', '--user-from', 'cookie:user'], 'expected an origin only'],
      [['--upstream', 'ws://127.0.0.1:9', '--user-from', 'cookie:user', '--listen', 'x'], '--listen'],
      [['--user-from', 'cookie:user'], '--upstream: required'],
      [['--upstream', 'ws://127.0.0.1:9', '--user-from', 'nothing:here'], '--user-from']
    ]
    for (const [argv, expected] of cases) {
      const errors: string[] = []
      const spy = vi
        .spyOn(console, 'error')
        .mockImplementation((line: unknown) => void errors.push(String(line)))
      try {
        expect(await main(['observe', ...argv], () => {})).toBe(2)
      } finally {
        spy.mockRestore()
      }
      expect(errors.join('\n')).toContain(expected)
    }
  })

  it('exits 2 naming --listen when its port is taken', async () => {
    const app = await backend(false)
    const errors: string[] = []
    const spy = vi
      .spyOn(console, 'error')
      .mockImplementation((line: unknown) => void errors.push(String(line)))
    try {
      // The backend's own port: certainly taken.
      const argv = ['observe', '--upstream', `ws://127.0.0.1:${app.port}`, '--user-from', 'cookie:user']
      expect(await main([...argv, '--listen', String(app.port)], () => {})).toBe(2)
    } finally {
      spy.mockRestore()
    }
    expect(errors[0]).toBe(
      `observe: --listen ${app.port}: cannot listen on 127.0.0.1 (EADDRINUSE); pick another port or 0`
    )
  })

  it('prints its URL first, relays, and on SIGTERM prints the leak naming both users (exit 1) and records it', async () => {
    const app = await backend(true)
    const dir = mkdtempSync(join(tmpdir(), 'si-observe-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const record = join(dir, 'observe.ndjson')
    const observe = await startObserve([
      '--upstream',
      `ws://127.0.0.1:${app.port}`,
      '--user-from',
      'cookie:user',
      '--owner-id',
      '/user_id',
      '--record',
      record,
      '--json'
    ])
    cleanups.push(async () => void (await observe.stop()))
    expect(observe.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/)
    const alice = await user(observe.url, 'alice')
    const bob = await user(observe.url, 'bob')
    alice.socket.send(JSON.stringify({ type: 'say', text: 'meet at the old harbour at dawn' }))
    await receivedCount(alice, 2)
    await receivedCount(bob, 2)
    expect(JSON.parse(bob.received[1] ?? '{}')).toMatchObject({ user_id: 'alice' })
    const { code, stdout } = await observe.stop()
    expect(code).toBe(1)
    const summary = JSON.parse(stdout.slice(stdout.indexOf('\n') + 1)) as {
      exitCode: number
      leaks: { total: number; byOwnerId: Array<{ owner: string; receiver: string }> }
      relay: { connections: number; frames: { client_to_server: number } }
    }
    expect(summary.exitCode).toBe(1)
    expect(summary.leaks.byOwnerId).toContainEqual(
      expect.objectContaining({ owner: 'alice', receiver: 'bob' })
    )
    expect(summary.relay.connections).toBe(2)
    expect(readFileSync(record, 'utf8')).toContain('"observed_leak"')
  })

  it('exits 0 with the text summary when every message reached its own user', async () => {
    const app = await backend(false)
    const observe = await startObserve([
      '--upstream',
      `ws://127.0.0.1:${app.port}`,
      '--user-from',
      'cookie:user'
    ])
    cleanups.push(async () => void (await observe.stop()))
    const alice = await user(observe.url, 'alice')
    await user(observe.url, 'bob')
    alice.socket.send(JSON.stringify({ type: 'say', text: 'meet at the old harbour at dawn' }))
    await receivedCount(alice, 2)
    const { code, stdout } = await observe.stop()
    expect(code).toBe(0)
    expect(stdout).toContain('no leaks')
    expect(stdout).toContain('relay: 2 WebSocket connection(s)')
  })
})
