import type { WebSocket } from 'ws'

/** What FrameWriter needs of the net.Socket under a WebSocket. */
export interface RawSocket {
  write(chunk: Uint8Array): boolean
  readonly writableLength: number
}

/**
 * The parts of ws's private Sender (ws 8.23.0, pinned exactly in package.json: lib/sender.js) that say whether a
 * frame written straight to the socket lands after everything ws.send was given: `_state` is DEFAULT (0) unless it
 * is deflating or reading a Blob, `_queue` holds sends waiting for that, `_bufferedBytes` counts both.
 */
interface SenderInternals {
  _socket?: unknown
  _state?: unknown
  _queue?: unknown
  _bufferedBytes?: unknown
}

const SENDER_IDLE = 0

function asRawSocket(candidate: unknown): RawSocket | null {
  const raw = candidate as Partial<RawSocket> | null | undefined
  return typeof raw?.write === 'function' && typeof raw.writableLength === 'number'
    ? (raw as RawSocket)
    : null
}

/**
 * The socket to write whole frames to, or null when only ws.send keeps the frames right: a client socket (its
 * frames must be masked), a negotiated extension (permessage-deflate frames are compressed, asynchronously), a
 * Sender still holding a send (a Blob being read), or ws internals not shaped as expected.
 */
export function rawSocketIfIdle(socket: WebSocket): RawSocket | null {
  const internals = socket as unknown as { _isServer?: unknown; _sender?: SenderInternals | null }
  if (internals._isServer !== true || socket.extensions !== '') return null
  const sender = internals._sender
  if (!sender || sender._state !== SENDER_IDLE || sender._bufferedBytes !== 0) return null
  if (!Array.isArray(sender._queue) || sender._queue.length > 0) return null
  return asRawSocket(sender._socket)
}

/** The socket under `socket` whatever its Sender holds: for frames queued before anything was given to ws.send. */
export function rawSocketOf(socket: WebSocket): RawSocket | null {
  return asRawSocket((socket as unknown as { _sender?: SenderInternals | null })._sender?._socket)
}
