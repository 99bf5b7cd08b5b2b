import { once } from 'node:events'
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net'

/** Every byte of one TCP connection that passed a recorder, each direction in order. */
export interface RecordedStream {
  readonly clientToServer: Buffer[]
  readonly serverToClient: Buffer[]
  /** Resolves when both sides have closed. */
  readonly closed: Promise<void>
}

export interface ByteRecorder {
  readonly port: number
  readonly streams: RecordedStream[]
  close(): Promise<void>
}

/**
 * A plain TCP forwarder to `targetPort` that keeps a copy of every byte each way: put one in front of each real
 * end to compare what one end sent with what the other received, byte for byte.
 */
export async function startByteRecorder(targetPort: number): Promise<ByteRecorder> {
  const streams: RecordedStream[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = connect({ port: targetPort, host: '127.0.0.1', allowHalfOpen: true })
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    }
    const clientToServer: Buffer[] = []
    const serverToClient: Buffer[] = []
    const closed = Promise.all([once(client, 'close'), once(upstream, 'close')]).then(() => undefined)
    streams.push({ clientToServer, serverToClient, closed })
    client.on('data', (chunk: Buffer) => clientToServer.push(Buffer.from(chunk)))
    upstream.on('data', (chunk: Buffer) => serverToClient.push(Buffer.from(chunk)))
    client.pipe(upstream)
    upstream.pipe(client)
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    port: (server.address() as AddressInfo).port,
    streams,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
  }
}

/** What followed the HTTP head (up to the first blank line) in a recorded direction: the WebSocket frames. */
export function afterHead(chunks: readonly Buffer[]): Buffer {
  const all = Buffer.concat(chunks)
  const end = all.indexOf('\r\n\r\n')
  if (end < 0) throw new Error('no HTTP head in the recorded bytes')
  return all.subarray(end + 4)
}

/** The HTTP head of a recorded direction, as text. */
export function headOf(chunks: readonly Buffer[]): string {
  const all = Buffer.concat(chunks)
  return all.subarray(0, all.indexOf('\r\n\r\n')).toString('latin1')
}
