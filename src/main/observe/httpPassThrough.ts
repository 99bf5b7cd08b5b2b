import { request, type Agent, type IncomingMessage, type ServerResponse } from 'node:http'
import { endToEndHeaders } from './hopByHop'
import type { RelayStats } from './relayStats'
import type { UpstreamTarget } from './upstreamTarget'

/**
 * Passes one plain HTTP request to the upstream and its response back, bodies streamed both ways: any method,
 * the same path and query, headers as sent (Host included) but for hop-by-hop ones. An upstream that cannot be
 * reached gets a 502 naming it.
 */
export function passThrough(
  upstream: UpstreamTarget,
  agent: Agent,
  stats: RelayStats,
  req: IncomingMessage,
  res: ServerResponse
): void {
  stats.httpRequests += 1
  const forwarded = request({
    host: upstream.host,
    port: upstream.port,
    method: req.method,
    path: req.url,
    headers: endToEndHeaders(req.rawHeaders),
    agent
  })
  forwarded.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEndHeaders(answer.rawHeaders))
    answer.pipe(res)
    answer.on('error', () => res.destroy())
  })
  forwarded.on('error', (error) => {
    if (res.headersSent) {
      res.destroy()
      return
    }
    stats.upstreamFailures += 1
    res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' })
    res.end(`session-inspector observe: the upstream ${upstream.url} did not answer: ${error.message}\n`)
  })
  // A client that goes away takes its upstream request with it.
  res.on('close', () => {
    if (!res.writableFinished) forwarded.destroy()
  })
  req.pipe(forwarded)
}
