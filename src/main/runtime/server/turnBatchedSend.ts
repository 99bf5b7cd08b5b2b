import { WebSocket } from 'ws'
import { headerBytes, writeTextFrameHeader } from './textFrames'

/** One socket's text frames waiting to leave, already framed: headers and UTF-8 payloads back to back. */
interface Queue {
  bytes: Buffer
  used: number
}

/** A queue's first room: one run's frames fit (about 1.7 KB). */
const QUEUE_BYTES = 2048
/** Queues are carved from one buffer this big, reused for as long as the kernel takes every write whole. */
const ARENA_BYTES = 256 * 1024

let arena = Buffer.allocUnsafeSlow(ARENA_BYTES)
let arenaUsed = 0

/**
 * Room for a new queue. Carved from the arena rather than allocated: a fresh buffer for every run's frames was
 * megabytes a second of memory outside the heap under a flood, which V8 counts against the old generation's room.
 */
function queueRoom(): Buffer {
  if (arenaUsed + QUEUE_BYTES > arena.length) {
    arena = Buffer.allocUnsafeSlow(ARENA_BYTES)
    arenaUsed = 0
  }
  const room = arena.subarray(arenaUsed, arenaUsed + QUEUE_BYTES)
  arenaUsed += QUEUE_BYTES
  return room
}

const queues = new Map<WebSocket, Queue>()
let flushScheduled = false
/** How deep we are in inOneWrite scopes: inside one, queued frames leave when the outermost returns. */
let scopeDepth = 0

interface Writable {
  write(chunk: Uint8Array): boolean
  readonly writableLength: number
}

/** ws keeps its net.Socket private; we write whole frames to it, as ws's own sender does. */
function rawSocketOf(socket: WebSocket): Writable | null {
  const raw = (socket as unknown as { _socket?: Partial<Writable> })._socket
  return typeof raw?.write === 'function' ? (raw as Writable) : null
}

function writeQueued(): void {
  flushScheduled = false
  let taken = true
  for (const [socket, queue] of queues) {
    // What ws.send does once the closing handshake has begun: nothing may follow our close frame.
    if (socket.readyState !== WebSocket.OPEN) continue
    const raw = rawSocketOf(socket)
    raw?.write(queue.bytes.subarray(0, queue.used))
    // A write the kernel did not take whole keeps its bytes until it completes.
    if (raw && raw.writableLength > 0) taken = false
  }
  queues.clear()
  // Every write went out whole: nothing refers to the arena's bytes any more, so it starts over; otherwise a new
  // arena is begun and the old one is left to the pending writes.
  if (taken) arenaUsed = 0
  else arenaUsed = arena.length
}

/**
 * Runs `work` and writes every frame it sent, to each socket, in one write as it returns: what one client frame
 * causes (an accepted run and its events) leaves together, as soon as it is ready. Sooner than waiting for the
 * end of the turn, which held every socket's frames until all of the turn's client frames were handled, leaving
 * the clients idle meanwhile.
 */
export function inOneWrite<T>(work: () => T): T {
  scopeDepth += 1
  try {
    return work()
  } finally {
    scopeDepth -= 1
    if (scopeDepth === 0) writeQueued()
  }
}

/**
 * Sends a text frame (a string, or its UTF-8), queued until the enclosing inOneWrite returns, or else until the
 * next event-loop turn: frames to one socket then leave as one buffer of WebSocket frames in one write (one
 * syscall, one wake-up of the reader) instead of one each. Adds at most one loop turn of latency. Bytes are copied
 * as they are queued: the caller may reuse its buffer at once.
 *
 * Why not ws.send under a corked socket: each send allocated the payload's buffer and a header, and uncorking
 * wrote them as a vector of twelve chunks per run; that path was a tenth of the runtime thread under load.
 */
export function sendBatchedPerTurn(socket: WebSocket, frame: string | Uint8Array): void {
  if (!rawSocketOf(socket)) {
    // ws without the socket we expect: its own send, unbatched, rather than nothing.
    socket.send(frame, { binary: false })
    return
  }
  let queue = queues.get(socket)
  if (!queue) {
    queue = { bytes: queueRoom(), used: 0 }
    queues.set(socket, queue)
    if (scopeDepth === 0 && !flushScheduled) {
      flushScheduled = true
      setImmediate(writeQueued)
    }
  }
  const length = typeof frame === 'string' ? Buffer.byteLength(frame) : frame.length
  const need = queue.used + headerBytes(length) + length
  if (need > queue.bytes.length) {
    const grown = Buffer.allocUnsafe(Math.max(need, 2 * queue.bytes.length))
    queue.bytes.copy(grown, 0, 0, queue.used)
    queue.bytes = grown
  }
  let at = writeTextFrameHeader(queue.bytes, queue.used, length)
  if (typeof frame === 'string') at += queue.bytes.write(frame, at, 'utf8')
  else {
    queue.bytes.set(frame, at)
    at += length
  }
  queue.used = at
}

/**
 * What `socket` has unsent: ws's own count (written but not yet taken by the kernel) plus frames queued here,
 * so that send-buffer bounds see both.
 */
export function unsentBytes(socket: WebSocket): number {
  return socket.bufferedAmount + (queues.get(socket)?.used ?? 0)
}
