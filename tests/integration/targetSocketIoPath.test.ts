import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Server } from 'socket.io'
import { afterEach, describe, expect, it } from 'vitest'
import { LOAD_EXIT } from '../../src/main/runtime/load/runLoad'
import { runCli } from '../helpers/runCli'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/**
 * A Socket.IO server on a custom path, attached as socket.io's docs attach one: to an HTTP server with no handler
 * of its own, so a request to any other path is never answered at all.
 */
async function socketIoOnPath(path: string): Promise<number> {
  const http = createServer()
  const server = new Server(http, { path })
  server.on('connection', (socket) => socket.emit('hello', {}))
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise<void>((resolve) => void server.close(() => resolve())))
  return (http.address() as AddressInfo).port
}

describe('target mode: a Socket.IO server that never answers the path asked', () => {
  it('reports the connect timeout with what to check, and the CLI exits after the report', async () => {
    const port = await socketIoOnPath('/rt/')
    const dir = mkdtempSync(join(tmpdir(), 'target-sio-path-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'target.json')
    writeFileSync(
      file,
      JSON.stringify({
        protocol: 'socket.io',
        url: `http://127.0.0.1:${port}`,
        socketio: { transports: ['polling', 'websocket'] },
        run: [{ emit: 'ask', args: ['{{canary}}'] }],
        events: { type: '/event', userId: '/args/0/user', runId: '/args/0/run' },
        timeouts: { connectMs: 1_000, runMs: 2_000 }
      })
    )
    // Before the fix the pending long-polling request kept the process alive: runCli's timeout would kill it.
    const { code, stdout } = await runCli(['target', file, '--users', '2', '--runs', '1'], {
      timeoutMs: 20_000
    })
    expect(stdout).toContain(
      `Socket.IO connect to http://127.0.0.1:${port}/ (namespace /, path /socket.io) failed: no handshake reply within 1000 ms (timeouts.connectMs); is socketio.path (and the url) right?`
    )
    expect(code).toBe(LOAD_EXIT.incomplete)
  })
})
