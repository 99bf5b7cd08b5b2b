import { WebSocket } from 'ws'
import { rawSocketIfIdle, rawSocketOf } from './rawFrameSocket'
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

/**
 * Writes text frames to server sockets, each socket's frames in one write: what one client frame causes leaves
 * together (inOneWrite), else at the next loop turn. One instance per RuntimeServer, so runtimes sharing a process
 * share no queues and no buffers.
 *
 * Frames are framed here and written to the socket under ws's Sender (one copy into a reused buffer, one syscall,
 * rather than ws.send's buffers per frame) only where that cannot reorder them: see rawSocketIfIdle. Elsewhere they
 * go through ws.send. Frames leave in the order given to the writer, and after anything given to ws.send before
 * them; a frame given to ws.send directly while the writer holds frames for that socket may leave before those.
 */
export class FrameWriter {
  /** Fresh buffers for every run's frames are external memory that V8 counts against the heap: carve from one. */
  private arena = Buffer.allocUnsafeSlow(ARENA_BYTES)
  private arenaUsed = 0
  private readonly queues = new Map<WebSocket, Queue>()
  private flushScheduled = false
  /** How deep we are in inOneWrite scopes: inside one, queued frames leave when the outermost returns. */
  private scopeDepth = 0
  private readonly flushAtNextTurn = (): void => this.writeQueued()

  /** Runs `work` and writes every frame it sent, to each socket, in one write as it returns. */
  inOneWrite<T>(work: () => T): T {
    this.scopeDepth += 1
    try {
      return work()
    } finally {
      this.scopeDepth -= 1
      if (this.scopeDepth === 0) this.writeQueued()
    }
  }

  /**
   * Sends a text frame (a string, or its UTF-8), queued until the enclosing inOneWrite returns or else the next
   * loop turn. Bytes are copied as they are taken: the caller may reuse its buffer at once.
   */
  send(socket: WebSocket, frame: string | Uint8Array): void {
    // What ws.send does once the closing handshake has begun: nothing may follow our close frame.
    if (socket.readyState !== WebSocket.OPEN) return
    const raw = rawSocketIfIdle(socket)
    if (!raw) return this.sendThroughWs(socket, frame)
    let queue = this.queues.get(socket)
    if (!queue) {
      queue = { bytes: this.queueRoom(), used: 0 }
      this.queues.set(socket, queue)
      if (this.scopeDepth === 0 && !this.flushScheduled) {
        this.flushScheduled = true
        setImmediate(this.flushAtNextTurn)
      }
    }
    appendTextFrame(queue, frame)
  }

  /**
   * What `socket` has unsent: ws's own count (written but not yet taken by the kernel, or held by its Sender) plus
   * frames queued here, so that send-buffer bounds see both.
   */
  unsentBytes(socket: WebSocket): number {
    return socket.bufferedAmount + (this.queues.get(socket)?.used ?? 0)
  }

  /** Bytes this writer holds for `socket`, not yet written anywhere. */
  queuedBytes(socket: WebSocket): number {
    return this.queues.get(socket)?.used ?? 0
  }

  private sendThroughWs(socket: WebSocket, frame: string | Uint8Array): void {
    // Frames queued here were given before whatever ws's Sender now holds: written first, they keep their place.
    const queue = this.queues.get(socket)
    if (queue) {
      this.queues.delete(socket)
      // A copy: the arena's bytes may be reused once this flush's other writes are taken.
      rawSocketOf(socket)?.write(Buffer.from(queue.bytes.subarray(0, queue.used)))
    }
    // ws.send keeps a Uint8Array by reference (and deflates it later): it gets a copy the caller cannot reuse.
    socket.send(typeof frame === 'string' ? frame : Buffer.from(frame), { binary: false })
  }

  /** Room for a new queue, from the arena; a new arena when this one is full. */
  private queueRoom(): Buffer {
    if (this.arenaUsed + QUEUE_BYTES > this.arena.length) {
      this.arena = Buffer.allocUnsafeSlow(ARENA_BYTES)
      this.arenaUsed = 0
    }
    const room = this.arena.subarray(this.arenaUsed, this.arenaUsed + QUEUE_BYTES)
    this.arenaUsed += QUEUE_BYTES
    return room
  }

  private writeQueued(): void {
    this.flushScheduled = false
    let taken = true
    for (const [socket, queue] of this.queues) {
      if (socket.readyState !== WebSocket.OPEN) continue
      // Not rawSocketIfIdle: whatever ws's Sender took since these frames were queued was given after them.
      const raw = rawSocketOf(socket)
      raw?.write(queue.bytes.subarray(0, queue.used))
      // A write the kernel did not take whole keeps its bytes until it completes.
      if (raw && raw.writableLength > 0) taken = false
    }
    this.queues.clear()
    // Every write went out whole: nothing refers to the arena's bytes any more, so it starts over; otherwise a new
    // arena is begun and the old one is left to the pending writes.
    this.arenaUsed = taken ? 0 : this.arena.length
  }
}

function appendTextFrame(queue: Queue, frame: string | Uint8Array): void {
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
