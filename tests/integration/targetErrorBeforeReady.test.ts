import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server as SocketIoServer } from 'socket.io'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { LOAD_EXIT } from '../../src/main/runtime/load/runLoad'
import { parseTargetFile } from '../../src/main/target/loadTargetFile'
import { prepareTarget } from '../../src/main/target/prepareTarget'
import { runTarget } from '../../src/main/target/runTarget'
import { targetExitCode } from '../../src/main/target/targetReport'

/** Closes what a test started. */
let stop: (() => Promise<void>) | null = null
afterEach(async () => {
  await stop?.()
  stop = null
})

async function listen(http: HttpServer): Promise<number> {
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  return (http.address() as AddressInfo).port
}

/**
 * A plain WebSocket backend that refuses a bad token with an error frame and keeps the socket open, as
 * channel-style servers answer a join: `{"type": "auth", "token"}` gets `welcome`, or `error` with the reason.
 */
async function startErrorFrameBackend(): Promise<string> {
  const http = createServer((_request, response) => response.writeHead(404).end())
  const wss = new WebSocketServer({ server: http })
  wss.on('connection', (socket) => {
    socket.once('message', (data) => {
      const { token } = JSON.parse(String(data)) as { token?: string }
      socket.send(
        JSON.stringify(token === 'good' ? { type: 'welcome' } : { type: 'error', reason: 'unknown token' })
      )
    })
  })
  const port = await listen(http)
  stop = async () => {
    for (const client of wss.clients) client.terminate()
    await new Promise<void>((resolve) => wss.close(() => resolve()))
    await new Promise<void>((resolve) => http.close(() => resolve()))
  }
  return `ws://127.0.0.1:${port}/ws`
}

/** A Socket.IO backend that emits its error event instead of `welcome` to every socket, or (`silent`) nothing. */
async function startSocketIoErrorBackend(silent = false): Promise<string> {
  const http = createServer()
  const io = new SocketIoServer(http)
  io.on('connection', (socket) => {
    if (!silent) socket.emit('error_event', { reason: 'workspace closed' })
  })
  const port = await listen(http)
  stop = async () => {
    await io.close()
  }
  return `http://127.0.0.1:${port}`
}

async function connectOnly(json: Record<string, unknown>) {
  const file = parseTargetFile('error-before-ready', JSON.stringify(json))
  const users = prepareTarget('error-before-ready', file, { users: 1 })
  const report = await runTarget(file, users, { runs: 1, bus: new InspectionBus() })
  return { report, exitCode: targetExitCode(report) }
}

describe('an error frame while a user waits for its ready frame', () => {
  it('refuses the user at once, showing the frame, instead of waiting out the connect timeout', async () => {
    const url = await startErrorFrameBackend()
    const { report, exitCode } = await connectOnly({
      url,
      users: { token: 'bad' },
      auth: { in: 'message', message: { type: 'auth', token: '{{token}}' } },
      ready: { type: 'welcome' },
      start: { text: '{{canary}}' },
      events: { errorType: 'error' },
      timeouts: { connectMs: 60_000 }
    })
    expect(exitCode).toBe(LOAD_EXIT.incomplete)
    expect(report.users.failed).toEqual([
      {
        user_id: 'user_1',
        error:
          'the server sent an error frame (events.errorType) before its ready frame (ready.type): {"type":"error","reason":"unknown token"}'
      }
    ])
  })

  it('does the same for a Socket.IO error event before the ready event', async () => {
    const url = await startSocketIoErrorBackend()
    const { report } = await connectOnly({
      protocol: 'socket.io',
      url,
      ready: { type: 'welcome' },
      run: [{ emit: 'start', args: [{ text: '{{canary}}' }] }],
      events: { type: '/event', errorType: 'error_event' },
      timeouts: { connectMs: 60_000 }
    })
    expect(report.users.failed.map((failure) => failure.error)).toEqual([
      'the server sent an error frame (events.errorType) before its ready event (ready.type): {"event":"error_event","args":[{"reason":"workspace closed"}]}'
    ])
  })

  it('a Socket.IO server that never sends the ready event is told as the timeout, not as our own disconnect', async () => {
    const url = await startSocketIoErrorBackend(true)
    const { report } = await connectOnly({
      protocol: 'socket.io',
      url,
      ready: { type: 'welcome' },
      run: [{ emit: 'start', args: [{ text: '{{canary}}' }] }],
      events: { type: '/event', errorType: 'error_event' },
      timeouts: { connectMs: 300 }
    })
    expect(report.users.failed.map((failure) => failure.error)).toEqual([
      `no ready event (ready.type) within 300 ms (timeouts.connectMs) at ${url}/`
    ])
  })
})
