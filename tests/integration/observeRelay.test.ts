import { once } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer, type PerMessageDeflateOptions } from 'ws'
import { startObserveProxy, type ObserveProxy } from '../../src/main/observe/observeProxy'
import { afterHead, headOf, startByteRecorder, type ByteRecorder } from '../helpers/byteRecorder'
import { RecordingObserver } from '../helpers/recordingObserver'
import { upstreamAt } from '../helpers/upstreamAt'

/**
 * A real ws client and a real ws server with observe mode between them, and a byte recorder in front of each end:
 * what one end sent must be what the other received, byte for byte, and the observer must see every message whole.
 */
interface Rig {
  url: string
  wss: WebSocketServer
  proxy: ObserveProxy
  observer: RecordingObserver
  clientSide: ByteRecorder
  serverSide: ByteRecorder
}

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function startRig(
  options: { perMessageDeflate?: boolean | PerMessageDeflateOptions; maxMessageBytes?: number } = {}
): Promise<Rig> {
  const wss = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    perMessageDeflate: options.perMessageDeflate ?? false
  })
  await once(wss, 'listening')
  cleanups.push(
    () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close(() => resolve())
      })
  )
  const serverSide = await startByteRecorder((wss.address() as { port: number }).port)
  cleanups.push(() => serverSide.close())
  const observer = new RecordingObserver()
  const proxy = await startObserveProxy({
    upstream: upstreamAt(serverSide.port),
    observer,
    ...(options.maxMessageBytes ? { maxMessageBytes: options.maxMessageBytes } : {})
  })
  cleanups.push(() => proxy.close())
  const clientSide = await startByteRecorder(proxy.port)
  cleanups.push(() => clientSide.close())
  return { url: `ws://127.0.0.1:${clientSide.port}`, wss, proxy, observer, clientSide, serverSide }
}

/** Connects a client and hands back both ends of the same connection. */
async function connect(
  rig: Rig,
  path = '/socket',
  options: WebSocket.ClientOptions = {}
): Promise<{ client: WebSocket; server: WebSocket }> {
  const serverEnd = once(rig.wss, 'connection') as Promise<[WebSocket]>
  const client = new WebSocket(rig.url + path, options)
  await once(client, 'open')
  const [server] = await serverEnd
  return { client, server }
}

/** Waits for the connection to end everywhere, then holds both directions' bytes equal end to end. */
async function expectBytesEqualEndToEnd(rig: Rig): Promise<void> {
  await rig.observer.waitFor(() => rig.observer.closed().length === 1, 'connection close')
  const [atClient] = rig.clientSide.streams
  const [atServer] = rig.serverSide.streams
  if (!atClient || !atServer) throw new Error('a recorder saw no connection')
  await Promise.all([atClient.closed, atServer.closed])
  const sent = afterHead(atClient.clientToServer)
  const received = afterHead(atServer.clientToServer)
  expect(sent.length).toBeGreaterThan(0)
  expect(received.equals(sent)).toBe(true)
  const served = afterHead(atServer.serverToClient)
  const delivered = afterHead(atClient.serverToClient)
  expect(served.length).toBeGreaterThan(0)
  expect(delivered.equals(served)).toBe(true)
}

function collect(socket: WebSocket, count: number): Promise<Array<{ data: Buffer; isBinary: boolean }>> {
  const got: Array<{ data: Buffer; isBinary: boolean }> = []
  return new Promise((resolve) => {
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      got.push({ data, isBinary })
      if (got.length === count) resolve(got)
    })
  })
}

const texts = (messages: Array<{ data: Buffer; isBinary: boolean }>): string[] =>
  messages.map((message) => `${message.isBinary ? 'bin' : 'txt'}:${message.data.toString('hex')}`)

describe('observe relay: bytes end to end', () => {
  it('relays text and binary both ways unchanged, keeps path, query and headers, and shows whole messages', async () => {
    const rig = await startRig()
    const { client, server } = await connect(rig, '/socket?room=1&user=alice', {
      headers: { Cookie: 'user=alice', 'X-Trace': 'abc' }
    })
    expect(rig.observer.seen[0]).toMatchObject({
      kind: 'opened',
      request: { url: '/socket?room=1&user=alice', headers: { cookie: 'user=alice', 'x-trace': 'abc' } }
    })
    const atServer = collect(server, 2)
    const atClient = collect(client, 2)
    client.send('hello from alice')
    client.send(Buffer.from([0, 1, 2, 255]))
    server.send('{"type":"welcome","user_id":"alice"}')
    server.send(Buffer.alloc(70_000, 7))
    expect(texts(await atServer)).toEqual([
      `txt:${Buffer.from('hello from alice').toString('hex')}`,
      'bin:000102ff'
    ])
    await atClient
    await rig.observer.waitFor(() => rig.observer.messages().length === 4, 'four messages')
    client.close(4001, 'bye from the client')
    await expectBytesEqualEndToEnd(rig)
    expect(
      rig.observer.messages('client_to_server').map((m) => [m.data.toString('hex'), m.isBinary])
    ).toEqual([
      [Buffer.from('hello from alice').toString('hex'), false],
      ['000102ff', true]
    ])
    const fromServer = rig.observer.messages('server_to_client')
    expect(fromServer[0]?.data.toString()).toBe('{"type":"welcome","user_id":"alice"}')
    expect(fromServer[1]?.data.equals(Buffer.alloc(70_000, 7))).toBe(true)
    expect(rig.observer.closed()[0]).toMatchObject({
      code: 4001,
      reason: 'bye from the client',
      closedBy: 'client'
    })
    const [atServerStream] = rig.serverSide.streams
    expect(headOf(atServerStream?.clientToServer ?? [])).toMatch(
      /^GET \/socket\?room=1&user=alice HTTP\/1\.1\r\n/
    )
    expect(headOf(atServerStream?.clientToServer ?? [])).toContain('X-Trace: abc')
    expect(rig.proxy.stats()).toMatchObject({
      connections: 1,
      open: 0,
      messages: { client_to_server: 2, server_to_client: 2 }
    })
  })

  it('relays fragmented messages frame by frame and shows them joined', async () => {
    const rig = await startRig()
    const { client, server } = await connect(rig)
    const atServer = collect(server, 2)
    client.send('part one, ', { fin: false })
    client.send('part two, ', { fin: false })
    client.send('the end', { fin: true })
    client.send(Buffer.from([1, 2]), { fin: false, binary: true })
    client.send(Buffer.from([3]), { fin: true, binary: true })
    const atClient = collect(client, 1)
    server.send('server ', { fin: false })
    // A ping in the middle of a fragmented message is allowed (RFC 6455 5.4) and must not break it.
    server.ping('mid')
    server.send('fragments', { fin: true })
    expect((await atServer)[0]?.data.toString()).toBe('part one, part two, the end')
    expect((await atClient)[0]?.data.toString()).toBe('server fragments')
    await rig.observer.waitFor(() => rig.observer.messages().length === 3, 'three messages')
    server.close(4002, 'bye from the server')
    await expectBytesEqualEndToEnd(rig)
    expect(rig.observer.messages('client_to_server').map((m) => m.data.toString('hex'))).toEqual([
      Buffer.from('part one, part two, the end').toString('hex'),
      '010203'
    ])
    expect(rig.observer.messages('server_to_client')[0]?.data.toString()).toBe('server fragments')
    expect(rig.observer.closed()[0]).toMatchObject({
      code: 4002,
      reason: 'bye from the server',
      closedBy: 'server'
    })
    // Three text frames, two binary, then the client's close echo; the server's two fragments, its ping, its close.
    expect(rig.proxy.stats().frames).toEqual({ client_to_server: 7, server_to_client: 4 })
  })

  it('relays compressed messages as the two ends negotiated them, inflated for the observer with context takeover', async () => {
    const rig = await startRig({ perMessageDeflate: { threshold: 0 } })
    const { client, server } = await connect(rig, '/socket', { perMessageDeflate: { threshold: 0 } })
    expect(client.extensions).toContain('permessage-deflate')
    // The same text again and again: later messages refer back into earlier ones' window.
    const sent = Array.from(
      { length: 20 },
      (_, i) => `{"type":"delta","user_id":"bob","seq":${i},"text":"same text"}`
    )
    const atServer = collect(server, sent.length + 1)
    const atClient = collect(client, sent.length)
    for (const text of sent) client.send(text)
    client.send(Buffer.alloc(5_000, 9), { fin: false })
    client.send(Buffer.alloc(5_000, 9), { fin: true })
    for (const text of sent) server.send(text.toUpperCase())
    await atServer
    await atClient
    await rig.observer.waitFor(() => rig.observer.messages().length === 2 * sent.length + 1, 'every message')
    client.close(1000, 'done')
    await expectBytesEqualEndToEnd(rig)
    const fromClient = rig.observer.messages('client_to_server')
    expect(fromClient.slice(0, sent.length).map((m) => m.data.toString())).toEqual(sent)
    expect(fromClient[sent.length]?.data.equals(Buffer.alloc(10_000, 9))).toBe(true)
    expect(rig.observer.messages('server_to_client').map((m) => m.data.toString())).toEqual(
      sent.map((text) => text.toUpperCase())
    )
    // Compressed on the wire: the frames are far smaller than the text they carry.
    expect(rig.proxy.stats().bytes.server_to_client).toBeLessThan(sent.join('').length)
  })

  it('inflates each message on its own when the ends agreed on no context takeover', async () => {
    const rig = await startRig({
      perMessageDeflate: { threshold: 0, serverNoContextTakeover: true, clientNoContextTakeover: true }
    })
    const { client, server } = await connect(rig, '/socket', { perMessageDeflate: { threshold: 0 } })
    expect(headOf(rig.clientSide.streams[0]?.serverToClient ?? [])).toMatch(
      /permessage-deflate;.*server_no_context_takeover/
    )
    const atServer = collect(server, 5)
    for (let i = 0; i < 5; i++) client.send(`repeat repeat repeat ${i}`)
    await atServer
    for (let i = 0; i < 5; i++) server.send(`again again again ${i}`)
    await rig.observer.waitFor(() => rig.observer.messages().length === 10, 'ten messages')
    server.close(1001, 'going away')
    await expectBytesEqualEndToEnd(rig)
    expect(rig.observer.messages('client_to_server').map((m) => m.data.toString())).toEqual(
      Array.from({ length: 5 }, (_, i) => `repeat repeat repeat ${i}`)
    )
    expect(rig.observer.messages('server_to_client').map((m) => m.data.toString())).toEqual(
      Array.from({ length: 5 }, (_, i) => `again again again ${i}`)
    )
  })

  it('relays pings and pongs with their payloads both ways', async () => {
    const rig = await startRig()
    const { client, server } = await connect(rig)
    const pongAtClient = once(client, 'pong')
    const pingAtServer = once(server, 'ping')
    client.ping('from client')
    expect(String((await pingAtServer)[0])).toBe('from client')
    expect(String((await pongAtClient)[0])).toBe('from client')
    const pongAtServer = once(server, 'pong')
    server.ping(Buffer.from([9, 9]))
    expect((await pongAtServer)[0]).toEqual(Buffer.from([9, 9]))
    client.close()
    await expectBytesEqualEndToEnd(rig)
    expect(rig.observer.messages()).toEqual([])
    // A close frame without a code is reported as 1005, as RFC 6455 says.
    expect(rig.observer.closed()[0]).toMatchObject({ code: 1005, reason: '', closedBy: 'client' })
  })
})
