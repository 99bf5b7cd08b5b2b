import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import type { RelayObserver } from '../../src/main/observe/relayObserver'

/**
 * A small real chat backend for observe-mode tests. A client says `{"type":"say","text":...}`; the backend answers
 * `{"type":"said","owner":USER,"text":...}` to the sender, or (broadcastBug) to every connection. The user is the
 * `x-user` header, else the `user` cookie, else the first message's `hello.user`. Every message both ways is
 * reported to `observer` as a relay would report it, so the observer judges real traffic. Plain HTTP GETs get an
 * empty page, so a browser has an origin (and cookies) to open the WebSocket from.
 */
export interface ObservedChat {
  /** ws://127.0.0.1:PORT */
  url: string
  /** http://127.0.0.1:PORT/ */
  pageUrl: string
  /** Turns the broadcast bug on or off from now on. */
  setBroadcastBug(on: boolean): void
  close(): Promise<void>
}

export async function startObservedChat(
  observer: RelayObserver,
  options: { broadcastBug: boolean }
): Promise<ObservedChat> {
  const http = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>chat</title>')
  })
  const server = new WebSocketServer({ server: http })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()))
  const sockets = new Map<WebSocket, string>()
  let broadcastBug = options.broadcastBug
  server.on('connection', (socket, request) => {
    const id = observer.connectionOpened({ url: request.url ?? '/', headers: request.headers }, Date.now())
    sockets.set(socket, id)
    const cookieUser = /(?:^|;\s*)user=([^;]*)/.exec(request.headers.cookie ?? '')?.[1] ?? null
    let user = typeof request.headers['x-user'] === 'string' ? request.headers['x-user'] : cookieUser
    const send = (to: WebSocket, text: string): void => {
      const toId = sockets.get(to)
      if (toId === undefined || to.readyState !== WebSocket.OPEN) return
      observer.message(toId, 'server_to_client', Buffer.from(text), false, Date.now())
      to.send(text)
    }
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const bytes = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[])
      observer.message(id, 'client_to_server', bytes, isBinary, Date.now())
      if (isBinary) {
        send(socket, JSON.stringify({ type: 'binary_ack', bytes: bytes.length }))
        return
      }
      const message = JSON.parse(bytes.toString('utf8')) as { type: string; user?: string; text?: string }
      if (message.type === 'hello') {
        user = message.user ?? user
        send(socket, JSON.stringify({ type: 'welcome', owner: user }))
        return
      }
      const said = JSON.stringify({ type: 'said', owner: user, text: message.text })
      if (broadcastBug) for (const other of sockets.keys()) send(other, said)
      else send(socket, said)
    })
    socket.on('close', (code, reason) => {
      sockets.delete(socket)
      observer.connectionClosed(id, code, reason.toString(), 'client', Date.now())
    })
  })
  const { port } = http.address() as AddressInfo
  return {
    url: `ws://127.0.0.1:${port}`,
    pageUrl: `http://127.0.0.1:${port}/`,
    setBroadcastBug: (on) => {
      broadcastBug = on
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets.keys()) socket.terminate()
        server.close(() => http.close(() => resolve()))
      })
  }
}

/** A real client of the chat: collects what it receives and can wait for a message matching a test. */
export interface ChatClient {
  socket: WebSocket
  received: string[]
  say(text: string): void
  waitFor(test: (text: string) => boolean): Promise<string>
  close(): Promise<void>
}

export async function connectChat(
  url: string,
  options: { headers?: Record<string, string> } = {}
): Promise<ChatClient> {
  const socket = new WebSocket(url, { headers: options.headers ?? {} })
  const received: string[] = []
  const waiters: Array<{ test: (text: string) => boolean; resolve: (text: string) => void }> = []
  socket.on('message', (data: RawData) => {
    const text = String(data)
    received.push(text)
    for (const waiter of [...waiters])
      if (waiter.test(text)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(text)
      }
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  return {
    socket,
    received,
    say: (text) => socket.send(JSON.stringify({ type: 'say', text })),
    waitFor: (test) => {
      const already = received.find(test)
      if (already !== undefined) return Promise.resolve(already)
      return new Promise((resolve) => waiters.push({ test, resolve }))
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve()
        socket.once('close', () => resolve())
        socket.close(1000, 'done')
      })
  }
}
