import { EventEmitter, once } from 'node:events'
import { request } from 'node:http'
import { connect, createServer, type AddressInfo, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { startObserveProxy, type ObserveProxy } from '../../src/main/observe/observeProxy'
import { startObserveBackend } from '../fixtures/observeBackend/observeBackend'
import { RecordingObserver } from '../helpers/recordingObserver'
import { upstreamAt } from '../helpers/upstreamAt'

/** Observe's relay at its edges: plain HTTP, refused and failed upgrades, garbage, messages over the bound. */
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function proxyTo(
  port: number,
  maxMessageBytes?: number
): Promise<{ proxy: ObserveProxy; observer: RecordingObserver }> {
  const observer = new RecordingObserver()
  const proxy = await startObserveProxy({
    upstream: upstreamAt(port),
    observer,
    ...(maxMessageBytes ? { maxMessageBytes } : {})
  })
  cleanups.push(() => proxy.close())
  return { proxy, observer }
}

/** One HTTP exchange with Node's client: status, headers and body as text. */
function exchange(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string }
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      method: options.method ?? 'GET',
      path: options.path,
      headers: options.headers
    })
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() })
      )
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('observe relay: plain HTTP', () => {
  it('passes GET with its query, POST with a streamed body, statuses and headers, Host as the client sent it', async () => {
    const app = await startObserveBackend()
    cleanups.push(() => app.close())
    const { proxy } = await proxyTo(app.port)
    const page = await exchange(proxy.port, { path: '/' })
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.body).toContain('new WebSocket')
    const get = await exchange(proxy.port, {
      path: '/api/echo?status=201&q=a%20b',
      headers: { 'x-trace': 't-1' }
    })
    expect(get.status).toBe(201)
    expect(get.headers['x-backend']).toBe('observe-fixture')
    expect(JSON.parse(get.body)).toEqual({
      method: 'GET',
      url: '/api/echo?status=201&q=a%20b',
      host: `127.0.0.1:${proxy.port}`,
      trace: 't-1',
      body: ''
    })
    const big = 'x'.repeat(300_000)
    const post = await exchange(proxy.port, {
      method: 'POST',
      path: '/api/echo',
      body: big,
      headers: { 'content-type': 'text/plain' }
    })
    expect(JSON.parse(post.body)).toMatchObject({ method: 'POST', body: big })
    expect((await exchange(proxy.port, { path: '/missing' })).status).toBe(404)
    expect(proxy.stats().httpRequests).toBe(4)
  })

  it('answers 502 naming the upstream when it cannot be reached', async () => {
    const port = await closedPort()
    const { proxy } = await proxyTo(port)
    const answer = await exchange(proxy.port, { path: '/' })
    expect(answer.status).toBe(502)
    expect(answer.body).toContain(`the upstream ws://127.0.0.1:${port} did not answer`)
    const client = new WebSocket(`${proxy.url}/socket`)
    const [, response] = (await once(client, 'unexpected-response')) as [unknown, { statusCode: number }]
    expect(response.statusCode).toBe(502)
    expect(proxy.stats().upstreamFailures).toBe(2)
  })
})

describe('observe relay: upgrades and frames at the edges', () => {
  it('relays an upgrade the upstream refuses as it answered, and tells the observer nothing', async () => {
    const app = await startObserveBackend()
    cleanups.push(() => app.close())
    const { proxy, observer } = await proxyTo(app.port)
    const client = new WebSocket(`${proxy.url}/nowhere`)
    const [, response] = (await once(client, 'unexpected-response')) as [unknown, { statusCode: number }]
    expect(response.statusCode).toBe(400)
    expect(observer.seen).toEqual([])
    expect(proxy.stats().upgradesRefused).toBe(1)
  })

  it('relays garbage after the handshake byte for byte, counts it, and reads nothing more of that direction', async () => {
    // A raw upstream that accepts any upgrade by hand and keeps every byte it gets afterwards.
    const received: Buffer[] = []
    const arrived = new EventEmitter()
    const upstream = createServer((socket: Socket) => {
      let head = Buffer.alloc(0)
      socket.on('data', (chunk: Buffer) => {
        if (!head.includes('\r\n\r\n')) {
          head = Buffer.concat([head, chunk])
          const end = head.indexOf('\r\n\r\n')
          if (end < 0) return
          socket.write(
            'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\n'
          )
          received.push(head.subarray(end + 4))
        } else received.push(chunk)
        arrived.emit('data')
      })
    })
    upstream.listen(0, '127.0.0.1')
    await once(upstream, 'listening')
    cleanups.push(() => new Promise((resolve) => upstream.close(() => resolve())))
    const { proxy, observer } = await proxyTo((upstream.address() as AddressInfo).port)
    const client = connect({ host: '127.0.0.1', port: proxy.port })
    cleanups.push(() => {
      client.destroy()
    })
    client.write(
      'GET /socket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'
    )
    await once(client, 'data')
    // A masked text frame 'hi' (read and shown), then bytes that are no frame at all (opcode 0x3 is reserved).
    const frame = Buffer.from([0x81, 0x82, 1, 2, 3, 4, 'h'.charCodeAt(0) ^ 1, 'i'.charCodeAt(0) ^ 2])
    const garbage = Buffer.from('\x83\x85garbage that is not a frame', 'latin1')
    client.write(Buffer.concat([frame, garbage]))
    const expected = Buffer.concat([frame, garbage])
    while (Buffer.concat(received).length < expected.length) await once(arrived, 'data')
    expect(Buffer.concat(received).equals(expected)).toBe(true)
    await observer.waitFor(() => observer.messages().length === 1, 'the frame before the garbage')
    expect(observer.messages()[0]?.data.toString()).toBe('hi')
    expect(proxy.stats().undecodable).toBe(1)
  })

  it('relays a message over the bound but does not reassemble it, and goes on judging the next ones', async () => {
    for (const compressed of [false, true]) {
      const wss = new WebSocketServer({
        port: 0,
        host: '127.0.0.1',
        perMessageDeflate: compressed ? { threshold: 0 } : false
      })
      await once(wss, 'listening')
      cleanups.push(() => new Promise((resolve) => wss.close(() => resolve())))
      cleanups.push(() => wss.clients.forEach((socket) => socket.terminate()))
      const { proxy, observer } = await proxyTo((wss.address() as AddressInfo).port, 1024)
      const serverEnd = once(wss, 'connection') as Promise<[WebSocket]>
      const client = new WebSocket(proxy.url, { perMessageDeflate: compressed ? { threshold: 0 } : false })
      await once(client, 'open')
      const [server] = await serverEnd
      const got: Buffer[] = []
      const bothArrived = new Promise<void>((resolve) =>
        server.on('message', (data: Buffer) => {
          got.push(data)
          if (got.length === 2) resolve()
        })
      )
      const large = Buffer.from(
        Array.from({ length: 3000 }, (_, i) => String.fromCharCode(65 + ((i * 7) % 26))).join('')
      )
      client.send(large.subarray(0, 1000), { fin: false })
      client.send(large.subarray(1000), { fin: true })
      client.send('small after the large one')
      await observer.waitFor(() => observer.messages().length === 1, 'the small message')
      await bothArrived
      expect(got[0]?.equals(large)).toBe(true)
      expect(observer.messages()[0]?.data.toString()).toBe('small after the large one')
      expect(proxy.stats()).toMatchObject({ tooLarge: 1, undecodable: 0 })
      client.close()
      await observer.waitFor(() => observer.closed().length === 1, 'the close')
    }
  })

  it('reports a connection cut without a close frame as 1006, by the side that cut it, or by observe when it stops', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    await once(wss, 'listening')
    cleanups.push(() => new Promise((resolve) => wss.close(() => resolve())))
    const { proxy, observer } = await proxyTo((wss.address() as AddressInfo).port)
    const open = async (): Promise<{ client: WebSocket; server: WebSocket }> => {
      const serverEnd = once(wss, 'connection') as Promise<[WebSocket]>
      const client = new WebSocket(proxy.url)
      cleanups.push(() => client.terminate())
      await once(client, 'open')
      return { client, server: (await serverEnd)[0] }
    }
    const cutByServer = await open()
    const clientSaw = once(cutByServer.client, 'close') as Promise<[number]>
    cutByServer.server.terminate()
    expect((await clientSaw)[0]).toBe(1006)
    await observer.waitFor(() => observer.closed().length === 1, 'the first close')
    expect(observer.closed()[0]).toMatchObject({ code: 1006, reason: '', closedBy: 'server' })
    const cutByClient = await open()
    cutByClient.client.terminate()
    await observer.waitFor(() => observer.closed().length === 2, 'the second close')
    expect(observer.closed()[1]).toMatchObject({ code: 1006, closedBy: 'client' })
    const stillOpen = await open()
    const stillOpenSaw = once(stillOpen.client, 'close') as Promise<[number]>
    await proxy.close()
    // close() resolves once the observer has been told: nothing to wait for.
    expect(observer.closed()[2]).toMatchObject({ code: 1006, closedBy: 'proxy' })
    expect((await stillOpenSaw)[0]).toBe(1006)
    expect(proxy.stats()).toMatchObject({ connections: 3, open: 0 })
  })
})
