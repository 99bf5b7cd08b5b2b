import type { WebSocket } from 'ws'

interface Corkable {
  cork(): void
  uncork(): void
}

const corked = new Set<Corkable>()
let flushScheduled = false

function uncorkAll(): void {
  flushScheduled = false
  for (const socket of corked) socket.uncork()
  corked.clear()
}

/** ws keeps its net.Socket private; we only cork and uncork it, as ws's own sender does around each frame. */
function rawSocketOf(socket: WebSocket): Corkable | null {
  const raw = (socket as unknown as { _socket?: Partial<Corkable> })._socket
  return typeof raw?.cork === 'function' && typeof raw.uncork === 'function' ? (raw as Corkable) : null
}

/**
 * Sends a frame, leaving it in the socket's buffer until the next event-loop turn: frames to one socket within a
 * turn then leave in one write (one syscall, one wake-up of the reader) instead of one each. Adds at most one loop
 * turn of latency. Buffered frames count in `bufferedAmount`, so send-buffer bounds still see them.
 */
export function sendBatchedPerTurn(socket: WebSocket, frame: string): void {
  const raw = rawSocketOf(socket)
  // A socket with data still pending already coalesces its writes; only one that keeps up is corked.
  if (raw && !corked.has(raw) && socket.bufferedAmount === 0) {
    raw.cork()
    corked.add(raw)
    if (!flushScheduled) {
      flushScheduled = true
      setImmediate(uncorkAll)
    }
  }
  socket.send(frame)
}
