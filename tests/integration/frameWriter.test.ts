import { createServer } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { FrameWriter } from '../../src/main/runtime/server/frameWriter'
import { RuntimeServer } from '../../src/main/runtime/server/runtimeServer'

const stops: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop()
})

/**
 * A real ws server handing each connection to `serve`, and a real ws client recording what it receives (binary
 * messages marked). `deflate` negotiates permessage-deflate on both ends.
 */
async function connect(serve: (socket: WebSocket) => void, { deflate = false } = {}) {
  const http = createServer()
  const wss = new WebSocketServer({ server: http, perMessageDeflate: deflate })
  wss.on('connection', serve)
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const address = http.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: deflate })
  const received: string[] = []
  let closeCode: number | null = null
  client.on('message', (data, isBinary) => received.push(`${isBinary ? '(binary) ' : ''}${String(data)}`))
  client.on('close', (code) => (closeCode = code))
  stops.push(async () => {
    client.terminate()
    wss.close()
    await new Promise<void>((resolve) => http.close(() => resolve()))
  })
  return { client, received, closeCode: () => closeCode }
}

describe('frames sent in one write', () => {
  it('arrive as separate text messages, in order, whatever their length and characters, text or bytes', async () => {
    // 125, 126 and 65,536 bytes sit at the edges of the three header sizes; the others carry multi-byte UTF-8.
    const texts = [
      'a'.repeat(125),
      'b'.repeat(126),
      'c'.repeat(65_535),
      'd'.repeat(65_536),
      '',
      'été ✓ 🙂 — Ünïcödé',
      '€'.repeat(50_000)
    ]
    const writer = new FrameWriter()
    const { received } = await connect((socket) =>
      writer.inOneWrite(() => {
        // Every other one as its UTF-8 bytes, from one buffer reused at once: the queue keeps its own copy.
        const reused = Buffer.alloc(200_000)
        texts.forEach((text, index) => {
          if (index % 2 === 0) return writer.send(socket, text)
          const length = reused.write(text)
          writer.send(socket, reused.subarray(0, length))
          reused.fill(0x21)
        })
      })
    )
    await expect.poll(() => received.length).toBe(texts.length)
    expect(received).toEqual(texts)
  })

  it('outside a scope, leave at the next turn, still in order', async () => {
    const writer = new FrameWriter()
    const { received } = await connect((socket) => {
      writer.send(socket, 'first')
      writer.send(socket, 'second')
    })
    await expect.poll(() => received).toEqual(['first', 'second'])
  })

  it('are counted as unsent until they leave', async () => {
    const writer = new FrameWriter()
    const counts: number[] = []
    await connect((socket) =>
      writer.inOneWrite(() => {
        counts.push(writer.unsentBytes(socket))
        writer.send(socket, 'x'.repeat(1_000))
        writer.send(socket, '€')
        counts.push(writer.unsentBytes(socket))
      })
    )
    await expect.poll(() => counts.length).toBe(2)
    // 1,000 and 3 bytes of payload, and their frames' headers (4 bytes past 125, 2 below).
    expect(counts).toEqual([0, 1_009])
  })

  it('that the kernel has not taken yet stay intact while other sockets are written to', async () => {
    const http = createServer()
    const wss = new WebSocketServer({ server: http, perMessageDeflate: false })
    const sockets: WebSocket[] = []
    wss.on('connection', (socket) => sockets.push(socket))
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    const address = http.address()
    const url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    const slow = new WebSocket(url, { perMessageDeflate: false })
    const fast = new WebSocket(url, { perMessageDeflate: false })
    const got: Record<'slow' | 'fast', string[]> = { slow: [], fast: [] }
    slow.on('message', (data) => got.slow.push(String(data)))
    fast.on('message', (data) => got.fast.push(String(data)))
    stops.push(async () => {
      slow.terminate()
      fast.terminate()
      wss.close()
      await new Promise<void>((resolve) => http.close(() => resolve()))
    })
    await expect.poll(() => sockets.length).toBe(2)
    const [toSlow, toFast] = sockets as [WebSocket, WebSocket]
    // The slow client stops reading, so the kernel soon takes only part of each write to it.
    ;(slow as unknown as { _socket: { pause(): void } })._socket.pause()
    const frameFor = (who: string, index: number): string => `${who} ${index} ${'x'.repeat(1_500)}`
    // Some 12 MB each: more than the loopback's socket buffers hold, so writes to the slow one back up.
    const FRAMES = 8_000
    const writer = new FrameWriter()
    for (let turn = 0; turn < FRAMES; turn++) {
      writer.inOneWrite(() => writer.send(toSlow, frameFor('slow', turn)))
      writer.inOneWrite(() => writer.send(toFast, frameFor('fast', turn)))
    }
    await expect.poll(() => got.fast.length, { timeout: 10_000 }).toBe(FRAMES)
    ;(slow as unknown as { _socket: { resume(): void } })._socket.resume()
    await expect.poll(() => got.slow.length, { timeout: 10_000 }).toBe(FRAMES)
    expect(got.slow).toEqual(Array.from({ length: FRAMES }, (_, index) => frameFor('slow', index)))
    expect(got.fast).toEqual(Array.from({ length: FRAMES }, (_, index) => frameFor('fast', index)))
  })

  it('are dropped, not written after the close frame, when the socket closes first', async () => {
    const writer = new FrameWriter()
    const { received, closeCode } = await connect((socket) =>
      writer.inOneWrite(() => {
        writer.send(socket, 'never seen')
        socket.close(4001, 'bye')
      })
    )
    await expect.poll(closeCode).toBe(4001)
    expect(received).toEqual([])
  })
})

describe('frames and ws.send on one socket', () => {
  it('with permessage-deflate negotiated, go through ws.send and never overtake a frame still being compressed', async () => {
    const writer = new FrameWriter()
    // Past ws's 1 KiB threshold, so ws deflates it asynchronously; a raw write would land before it.
    const big = `big ${'a'.repeat(100_000)}`
    const seen: { extensions: string; queued: number; unsent: number }[] = []
    const { received } = await connect(
      (socket) =>
        writer.inOneWrite(() => {
          socket.send(big)
          writer.send(socket, 'writer 1')
          socket.send('ws 2')
          writer.send(socket, big)
          seen.push({
            extensions: socket.extensions,
            queued: writer.queuedBytes(socket),
            unsent: writer.unsentBytes(socket)
          })
          writer.send(socket, Buffer.from('writer 3'))
        }),
      { deflate: true }
    )
    await expect.poll(() => received.length).toBe(5)
    expect(received).toEqual([big, 'writer 1', 'ws 2', big, 'writer 3'])
    expect(seen[0]?.extensions).toContain('permessage-deflate')
    // Nothing held by the writer: ws holds it, and the send-buffer bound sees it there.
    expect(seen[0]?.queued).toBe(0)
    expect(seen[0]?.unsent).toBeGreaterThanOrEqual(big.length)
  })

  it('with no extensions, wait for a Blob ws.send is still reading, and keep frames queued before it ahead of it', async () => {
    const writer = new FrameWriter()
    const queuedWhenIdle: number[] = []
    const { received } = await connect((socket) =>
      writer.inOneWrite(() => {
        writer.send(socket, 'writer 0')
        queuedWhenIdle.push(writer.queuedBytes(socket))
        // ws reads a Blob asynchronously and holds every send after it until then.
        socket.send(new Blob(['blob 1']))
        writer.send(socket, 'writer 2')
        socket.send('ws 3')
        writer.send(socket, 'writer 4')
      })
    )
    await expect.poll(() => received.length).toBe(5)
    expect(received).toEqual(['writer 0', '(binary) blob 1', 'writer 2', 'ws 3', 'writer 4'])
    // Before the Blob, the fast path was taken: the frame was held for one write.
    expect(queuedWhenIdle[0]).toBeGreaterThan(0)
  })

  it('with no extensions, follow a frame ws.send already wrote, on the fast path', async () => {
    const writer = new FrameWriter()
    const queued: number[] = []
    const { received } = await connect((socket) => {
      socket.send('ws 0')
      writer.send(socket, 'writer 1')
      queued.push(writer.queuedBytes(socket))
      socket.send(Buffer.from('ws 2'), { binary: false })
      writer.inOneWrite(() => writer.send(socket, 'writer 3'))
    })
    await expect.poll(() => received.length).toBe(4)
    // 'writer 1' waits for the next turn (no scope); 'ws 2' was given after it but written at once: the one
    // reordering the writer cannot prevent, as documented.
    expect(received).toEqual(['ws 0', 'ws 2', 'writer 1', 'writer 3'])
    expect(queued[0]).toBeGreaterThan(0)
  })

  it('on a client socket (frames must be masked) go through ws.send, in order', async () => {
    const writer = new FrameWriter()
    const atServer: string[] = []
    const { client } = await connect((socket) => socket.on('message', (data) => atServer.push(String(data))))
    await new Promise<void>((resolve) => client.once('open', () => resolve()))
    writer.inOneWrite(() => {
      writer.send(client, 'one')
      client.send('two')
      writer.send(client, Buffer.from('three'))
      expect(writer.queuedBytes(client)).toBe(0)
    })
    await expect.poll(() => atServer).toEqual(['one', 'two', 'three'])
  })
})

describe('two RuntimeServers in one process', () => {
  it('have their own writers: one flushing does not write the frames the other holds', async () => {
    const accepted: Array<{ socket: WebSocket; writer: FrameWriter }> = []
    const servers = await Promise.all(
      [0, 1].map(() => RuntimeServer.listen((socket, _user, writer) => accepted.push({ socket, writer })))
    )
    for (const server of servers) {
      server.setReady(true)
      stops.push(() => server.close())
    }
    const [first, second] = servers as [RuntimeServer, RuntimeServer]
    expect(first.writer).not.toBe(second.writer)
    const received: string[][] = [[], []]
    const clients = servers.map((server, index) => {
      const client = new WebSocket(server.userUrl(`user_${index}`))
      client.on('message', (data) => received[index]?.push(String(data)))
      stops.push(async () => void client.terminate())
      return client
    })
    await expect.poll(() => accepted.length).toBe(2)
    await Promise.all(
      clients.map(
        (client) =>
          new Promise((resolve) =>
            client.readyState === WebSocket.OPEN ? resolve(null) : client.once('open', resolve)
          )
      )
    )
    const toFirst = accepted.find((entry) => entry.writer === first.writer)?.socket as WebSocket
    const toSecond = accepted.find((entry) => entry.writer === second.writer)?.socket as WebSocket

    first.writer.inOneWrite(() => {
      first.writer.send(toFirst, 'to first')
      second.writer.send(toSecond, 'to second')
    })
    // The first writer's scope has written its own frame, and nothing of the second's.
    const heldBySecond = second.writer.queuedBytes(toSecond)
    expect(first.writer.queuedBytes(toFirst)).toBe(0)
    expect(first.writer.queuedBytes(toSecond)).toBe(0)
    expect(heldBySecond).toBe(2 + 'to second'.length)
    expect(first.bufferedBytes).toBe(toFirst.bufferedAmount)
    expect(second.bufferedBytes).toBe(toSecond.bufferedAmount + heldBySecond)
    await expect.poll(() => received).toEqual([['to first'], ['to second']])
  })
})
