import { WebSocket } from 'ws'
import { encodeTextFrames } from './textFrames'

/** One socket's text frames waiting to leave, with their UTF-8 sizes. */
interface Queue {
  texts: string[]
  byteLengths: number[]
  bytes: number
}

const queues = new Map<WebSocket, Queue>()
let flushScheduled = false
/** How deep we are in inOneWrite scopes: inside one, queued frames leave when the outermost returns. */
let scopeDepth = 0

interface Writable {
  write(chunk: Buffer): boolean
}

/** ws keeps its net.Socket private; we write whole frames to it, as ws's own sender does. */
function rawSocketOf(socket: WebSocket): Writable | null {
  const raw = (socket as unknown as { _socket?: Partial<Writable> })._socket
  return typeof raw?.write === 'function' ? (raw as Writable) : null
}

function writeQueued(): void {
  flushScheduled = false
  for (const [socket, queue] of queues) writeQueue(socket, queue)
  queues.clear()
}

function writeQueue(socket: WebSocket, queue: Queue): void {
  // What ws.send does once the closing handshake has begun: nothing may follow our close frame.
  if (socket.readyState !== WebSocket.OPEN) return
  const raw = rawSocketOf(socket)
  if (raw) raw.write(encodeTextFrames(queue.texts, queue.byteLengths))
  else for (const text of queue.texts) socket.send(text)
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
 * Sends a text frame, queued until the enclosing inOneWrite returns, or else until the next event-loop turn:
 * frames to one socket then leave as one buffer of WebSocket frames in one write (one syscall, one wake-up of
 * the reader) instead of one each. Adds at most one loop turn of latency.
 *
 * Why not ws.send under a corked socket: each send allocated the payload's buffer and a header, and uncorking
 * wrote them as a vector of twelve chunks per run; that path was a tenth of the runtime thread under load.
 */
export function sendBatchedPerTurn(socket: WebSocket, frame: string): void {
  let queue = queues.get(socket)
  if (!queue) {
    queue = { texts: [], byteLengths: [], bytes: 0 }
    queues.set(socket, queue)
    if (scopeDepth === 0 && !flushScheduled) {
      flushScheduled = true
      setImmediate(writeQueued)
    }
  }
  const bytes = Buffer.byteLength(frame)
  queue.texts.push(frame)
  queue.byteLengths.push(bytes)
  queue.bytes += bytes
}

/**
 * What `socket` has unsent: ws's own count (written but not yet taken by the kernel) plus frames queued here,
 * so that send-buffer bounds see both.
 */
export function unsentBytes(socket: WebSocket): number {
  return socket.bufferedAmount + (queues.get(socket)?.bytes ?? 0)
}
