import { describe, expect, it } from 'vitest'
import type { WebSocket } from 'ws'
import { rawSocketIfIdle, rawSocketOf } from '../../src/main/runtime/server/rawFrameSocket'

/** Shaped as ws 8.23.0 shapes a server socket with an idle Sender; `change` alters one part. */
function socketLike(change: (shape: { [key: string]: unknown; _sender: Record<string, unknown> }) => void) {
  const net = { write: () => true, writableLength: 0 }
  const shape = {
    _isServer: true,
    extensions: '',
    _sender: { _socket: net, _state: 0, _queue: [] as unknown[], _bufferedBytes: 0 } as Record<
      string,
      unknown
    >
  }
  change(shape)
  return { socket: shape as unknown as WebSocket, net }
}

describe('the raw socket a frame may be written to', () => {
  it('is the Sender’s socket when the socket is a server’s, has no extension and its Sender holds nothing', () => {
    const { socket, net } = socketLike(() => {})
    expect(rawSocketIfIdle(socket)).toBe(net)
  })

  it.each([
    ['a client socket', (s: Record<string, unknown>) => (s._isServer = false)],
    ['permessage-deflate negotiated', (s: Record<string, unknown>) => (s.extensions = 'permessage-deflate')],
    [
      'a Sender deflating or reading a Blob',
      (s: { _sender: Record<string, unknown> }) => (s._sender._state = 2)
    ],
    ['sends queued in the Sender', (s: { _sender: Record<string, unknown> }) => (s._sender._queue = [[]])],
    [
      'bytes held by the Sender',
      (s: { _sender: Record<string, unknown> }) => (s._sender._bufferedBytes = 10)
    ],
    ['no Sender', (s: Record<string, unknown>) => (s._sender = null)],
    ['no socket in the Sender', (s: { _sender: Record<string, unknown> }) => delete s._sender._socket],
    ['a socket without write', (s: { _sender: Record<string, unknown> }) => (s._sender._socket = {})],
    ['a Sender shaped otherwise', (s: { _sender: Record<string, unknown> }) => delete s._sender._queue],
    ['no _isServer', (s: Record<string, unknown>) => delete s._isServer]
  ])('is none with %s: ws.send is used', (_label, change) => {
    const { socket } = socketLike(change as never)
    expect(rawSocketIfIdle(socket)).toBeNull()
  })

  it('for frames queued earlier, is the Sender’s socket even while the Sender is busy', () => {
    const { socket, net } = socketLike((s) => (s._sender._state = 2))
    expect(rawSocketOf(socket)).toBe(net)
  })
})
