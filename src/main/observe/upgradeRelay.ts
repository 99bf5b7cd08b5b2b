import { request, type IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Socket } from 'node:net'
import { endToEndHeaders, responseHead } from './hopByHop'
import { negotiatedDeflate } from './negotiatedDeflate'
import { RelayedConnection, type RelayContext } from './relayedConnection'
import type { UpstreamTarget } from './upstreamTarget'

/** What the proxy tracks so that stopping it ends everything in flight. */
export interface LiveRelays {
  readonly connections: Set<RelayedConnection>
  readonly pending: Set<{ destroy(): void }>
}

/**
 * Forwards a client's upgrade request to the upstream unchanged (path, query, headers with Host, the offered
 * extensions and protocols), then relays the upstream's answer: its 101 as it came, with what the two real ends
 * negotiated, followed by the raw bytes both ways; any other answer as an HTTP response, after which the client's
 * socket is closed; an unreachable upstream as a 502.
 */
export function relayUpgrade(
  upstream: UpstreamTarget,
  context: RelayContext,
  live: LiveRelays,
  req: IncomingMessage,
  client: Duplex,
  clientHead: Buffer
): void {
  const forwarded = request({
    host: upstream.host,
    port: upstream.port,
    method: req.method,
    path: req.url,
    headers: req.rawHeaders,
    agent: false
  })
  live.pending.add(forwarded)
  const settled = (): boolean => live.pending.delete(forwarded)
  client.on('error', () => forwarded.destroy())
  client.on('close', () => {
    if (settled()) forwarded.destroy()
  })
  forwarded.on('upgrade', (answer: IncomingMessage, upstreamSocket: Socket, upstreamHead: Buffer) => {
    settled()
    if (client.destroyed) {
      upstreamSocket.destroy()
      return
    }
    client.write(responseHead(answer.statusCode ?? 101, answer.statusMessage ?? '', answer.rawHeaders))
    const connection = new RelayedConnection(
      context,
      { url: req.url ?? '/', headers: req.headers },
      client as Socket,
      upstreamSocket,
      negotiatedDeflate(answer.headers['sec-websocket-extensions']),
      (done) => live.connections.delete(done)
    )
    live.connections.add(connection)
    connection.relayEarly('server_to_client', upstreamHead)
    connection.relayEarly('client_to_server', clientHead)
  })
  forwarded.on('response', (answer) => {
    settled()
    context.stats.upgradesRefused += 1
    // Without a length, the body ends where the connection does: Node has already undone any chunking.
    const headers = endToEndHeaders(answer.rawHeaders, ['content-length'])
    client.write(
      responseHead(answer.statusCode ?? 502, answer.statusMessage ?? '', [...headers, 'Connection', 'close'])
    )
    answer.pipe(client)
  })
  forwarded.on('error', (error) => {
    if (!settled()) return
    context.stats.upstreamFailures += 1
    const body = `session-inspector observe: the upstream ${upstream.url} did not answer: ${error.message}\n`
    client.end(
      responseHead(502, 'Bad Gateway', [
        'Content-Type',
        'text/plain; charset=utf-8',
        'Content-Length',
        String(Buffer.byteLength(body)),
        'Connection',
        'close'
      ]) + body
    )
  })
  forwarded.end()
}
