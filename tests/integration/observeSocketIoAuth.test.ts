import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'
import { io, type Socket } from 'socket.io-client'
import { afterEach, describe, expect, it } from 'vitest'
import { startObserve } from '../helpers/observeProcess'

/**
 * A Socket.IO chat written as socket.io's docs write one: a namespace whose middleware reads
 * `socket.handshake.auth.token`, and a reply broadcast to the whole namespace (the bug). Its users are named by the
 * connect packet `40/chat,{"token":…}`, which only a WebSocket-only client sends on the WebSocket.
 */
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function broadcastingChat(): Promise<number> {
  const http = createServer()
  const server = new Server(http)
  const chat = server.of('/chat')
  chat.use((socket, next) => {
    const token: unknown = socket.handshake.auth.token
    if (typeof token !== 'string') return next(new Error('not authorized'))
    socket.data.user = token
    next()
  })
  chat.on('connection', (socket) => {
    socket.on('chat message', (text: string, ack: () => void) => {
      ack()
      chat.emit('chat reply', { for: socket.data.user as string, text: `you said: ${text}` })
    })
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise<void>((resolve) => void server.close(() => resolve())))
  return (http.address() as AddressInfo).port
}

/** Connects a user through observe, waits until it talks over the WebSocket, and says something of its own. */
async function chatAs(url: string, user: string, transports?: string[]): Promise<Socket> {
  const socket = io(`${url}/chat`, {
    auth: { token: user },
    reconnection: false,
    ...(transports ? { transports } : {})
  })
  cleanups.push(() => void socket.close())
  await new Promise<void>((resolve, reject) => {
    socket.on('connect', resolve)
    socket.on('connect_error', reject)
  })
  await new Promise<void>((resolve) => {
    if (socket.io.engine.transport.name === 'websocket') resolve()
    else socket.io.engine.on('upgrade', () => resolve())
  })
  return socket
}

describe('observe: a Socket.IO app whose users are named in the connect packet', () => {
  it('attributes WebSocket-only clients by json:/token@first-message and names the leak', async () => {
    const observe = await startObserve([
      '--upstream',
      `ws://127.0.0.1:${await broadcastingChat()}`,
      '--user-from',
      'json:/token@first-message',
      '--owner-id',
      '/1/for',
      '--json'
    ])
    const base = observe.url.replace('ws://', 'http://')
    const alice = await chatAs(base, 'alice', ['websocket'])
    const bob = await chatAs(base, 'bob', ['websocket'])
    const bobHeard = new Promise<void>((resolve) => bob.on('chat reply', () => resolve()))
    await alice.emitWithAck('chat message', 'order A77-3321 please')
    await bobHeard
    const { code, stdout } = await observe.stop()
    const summary = JSON.parse(stdout.slice(stdout.indexOf('\n') + 1)) as { leaks: { byOwnerId: unknown[] } }
    expect(code).toBe(1)
    expect(summary.leaks.byOwnerId).toContainEqual({
      owner: 'alice',
      receiver: 'bob',
      pointer: '/1/for',
      frames: 1
    })
  })

  it('says why a client that began with long-polling is unattributed, and that nothing was judged', async () => {
    const observe = await startObserve([
      '--upstream',
      `ws://127.0.0.1:${await broadcastingChat()}`,
      '--user-from',
      'json:/token@first-message'
    ])
    const base = observe.url.replace('ws://', 'http://')
    const alice = await chatAs(base, 'alice')
    await alice.emitWithAck('chat message', 'order A77-3321 please')
    alice.close()
    const { code, stdout } = await observe.stop()
    expect(code).toBe(0)
    expect(stdout).toContain(
      'no leaks judged: no connection was attributed to a user, so no frame was judged (see why below)'
    )
    expect(stdout).toContain(
      "json:/token@first-message: the first message is Engine.IO's upgrade probe '2probe': the Socket.IO client started with HTTP long-polling"
    )
  })
})
