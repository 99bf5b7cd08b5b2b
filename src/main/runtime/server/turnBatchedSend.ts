import type { WebSocket } from 'ws'

interface Corkable {
  cork(): void
  uncork(): void
}

const corked = new Set<Corkable>()
let flushScheduled = false
/** How deep we are in inOneWrite scopes: inside one, corked sockets are uncorked when the outermost returns. */
let scopeDepth = 0

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
    if (scopeDepth === 0) uncorkAll()
  }
}

/**
 * Sends a frame, leaving it in the socket's buffer until the enclosing inOneWrite returns, or else until the next
 * event-loop turn: frames to one socket within a
 * turn then leave in one write (one syscall, one wake-up of the reader) instead of one each. Adds at most one loop
 * turn of latency. Buffered frames count in `bufferedAmount`, so send-buffer bounds still see them.
 */
export function sendBatchedPerTurn(socket: WebSocket, frame: string): void {
  const raw = rawSocketOf(socket)
  // A socket with data still pending already coalesces its writes; only one that keeps up is corked.
  if (raw && !corked.has(raw) && socket.bufferedAmount === 0) {
    raw.cork()
    corked.add(raw)
    if (scopeDepth === 0 && !flushScheduled) {
      flushScheduled = true
      setImmediate(uncorkAll)
    }
  }
  socket.send(frame)
}
