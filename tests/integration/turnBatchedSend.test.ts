import { createServer } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { inOneWrite, sendBatchedPerTurn, unsentBytes } from '../../src/main/runtime/server/turnBatchedSend'

let stop: (() => Promise<void>) | null = null
afterEach(async () => {
  await stop?.()
  stop = null
})

/** A real ws server handing each connection to `serve`, and a real ws client recording what it receives. */
async function connect(serve: (socket: WebSocket) => void) {
  const http = createServer()
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false })
  wss.on('connection', serve)
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const address = http.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false })
  const received: string[] = []
  let closeCode: number | null = null
  client.on('message', (data, isBinary) => received.push(isBinary ? '(binary)' : data.toString()))
  client.on('close', (code) => (closeCode = code))
  stop = async () => {
    client.terminate()
    wss.close()
    await new Promise<void>((resolve) => http.close(() => resolve()))
  }
  return { received, closeCode: () => closeCode }
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
    const { received } = await connect((socket) =>
      inOneWrite(() => {
        // Every other one as its UTF-8 bytes, from one buffer reused at once: the queue keeps its own copy.
        const reused = Buffer.alloc(200_000)
        texts.forEach((text, index) => {
          if (index % 2 === 0) return sendBatchedPerTurn(socket, text)
          const length = reused.write(text)
          sendBatchedPerTurn(socket, reused.subarray(0, length))
          reused.fill(0x21)
        })
      })
    )
    await expect.poll(() => received.length).toBe(texts.length)
    expect(received).toEqual(texts)
  })

  it('outside a scope, leave at the next turn, still in order', async () => {
    const { received } = await connect((socket) => {
      sendBatchedPerTurn(socket, 'first')
      sendBatchedPerTurn(socket, 'second')
    })
    await expect.poll(() => received).toEqual(['first', 'second'])
  })

  it('are counted as unsent until they leave', async () => {
    const counts: number[] = []
    await connect((socket) =>
      inOneWrite(() => {
        counts.push(unsentBytes(socket))
        sendBatchedPerTurn(socket, 'x'.repeat(1_000))
        sendBatchedPerTurn(socket, '€')
        counts.push(unsentBytes(socket))
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
    slow.on('message', (data) => got.slow.push(data.toString()))
    fast.on('message', (data) => got.fast.push(data.toString()))
    stop = async () => {
      slow.terminate()
      fast.terminate()
      wss.close()
      await new Promise<void>((resolve) => http.close(() => resolve()))
    }
    await expect.poll(() => sockets.length).toBe(2)
    const [toSlow, toFast] = sockets as [WebSocket, WebSocket]
    // The slow client stops reading, so the kernel soon takes only part of each write to it.
    ;(slow as unknown as { _socket: { pause(): void } })._socket.pause()
    const frameFor = (who: string, index: number): string => `${who} ${index} ${'x'.repeat(1_500)}`
    // Some 12 MB each: more than the loopback's socket buffers hold, so writes to the slow one back up.
    const FRAMES = 8_000
    for (let turn = 0; turn < FRAMES; turn++) {
      inOneWrite(() => sendBatchedPerTurn(toSlow, frameFor('slow', turn)))
      inOneWrite(() => sendBatchedPerTurn(toFast, frameFor('fast', turn)))
    }
    await expect.poll(() => got.fast.length, { timeout: 10_000 }).toBe(FRAMES)
    ;(slow as unknown as { _socket: { resume(): void } })._socket.resume()
    await expect.poll(() => got.slow.length, { timeout: 10_000 }).toBe(FRAMES)
    expect(got.slow).toEqual(Array.from({ length: FRAMES }, (_, index) => frameFor('slow', index)))
    expect(got.fast).toEqual(Array.from({ length: FRAMES }, (_, index) => frameFor('fast', index)))
  })

  it('are dropped, not written after the close frame, when the socket closes first', async () => {
    const { received, closeCode } = await connect((socket) =>
      inOneWrite(() => {
        sendBatchedPerTurn(socket, 'never seen')
        socket.close(4001, 'bye')
      })
    )
    await expect.poll(closeCode).toBe(4001)
    expect(received).toEqual([])
  })
})
