import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'
import { io, type Socket } from 'socket.io-client'
import { afterEach, describe, expect, it } from 'vitest'
import { startObserveProxy } from '../../src/main/observe/observeProxy'
import { RecordingObserver } from '../helpers/recordingObserver'
import { upstreamAt } from '../helpers/upstreamAt'

/**
 * A backend observe mode has never seen: Socket.IO with its default transports, which starts with HTTP long-polling
 * (GET and POST with Engine.IO's query) and then upgrades to a WebSocket, with its own pings. All of it goes
 * through the relay, and the observer sees the WebSocket's Engine.IO packets whole.
 */
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe('observe relay: Socket.IO, polling then WebSocket', () => {
  it('relays the polling requests and the upgrade, and shows the upgraded socket its events', async () => {
    const http = createServer()
    const server = new Server(http, { pingInterval: 200, pingTimeout: 1_000 })
    server.on('connection', (socket) => {
      socket.on('say', (text: string, ack: (reply: string) => void) => ack(`heard ${text}`))
    })
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise<void>((resolve) => void server.close(() => resolve())))
    const observer = new RecordingObserver()
    const proxy = await startObserveProxy({
      upstream: upstreamAt((http.address() as AddressInfo).port),
      observer
    })
    cleanups.push(() => proxy.close())
    const client: Socket = io(`http://127.0.0.1:${proxy.port}`, { reconnection: false })
    cleanups.push(() => void client.close())
    await new Promise<void>((resolve, reject) => {
      client.on('connect', resolve)
      client.on('connect_error', reject)
    })
    // Wait until Engine.IO has moved the session onto the WebSocket, then talk over it.
    await new Promise<void>((resolve) => {
      if (client.io.engine.transport.name === 'websocket') resolve()
      else client.io.engine.on('upgrade', () => resolve())
    })
    expect(await client.emitWithAck('say', 'the quiet river bends at the mill')).toBe(
      'heard the quiet river bends at the mill'
    )
    await observer.waitFor(
      () =>
        observer
          .messages('server_to_client')
          .some((m) => m.data.toString().includes('heard the quiet river')),
      'the acknowledgement over the WebSocket'
    )
    const opened = observer.seen.find((seen) => seen.kind === 'opened')
    expect(opened?.kind === 'opened' && opened.request.url).toMatch(
      /^\/socket\.io\/\?EIO=4&transport=websocket&sid=/
    )
    const sent = observer.messages('client_to_server').map((m) => m.data.toString())
    // Engine.IO's upgrade probe, then the event: 42 + [event, args].
    expect(sent[0]).toBe('2probe')
    expect(sent.some((text) => text.includes('["say","the quiet river bends at the mill"]'))).toBe(true)
    const stats = proxy.stats()
    expect(stats.httpRequests).toBeGreaterThanOrEqual(2)
    expect(stats.connections).toBe(1)
    expect(stats.undecodable).toBe(0)
  })
})
