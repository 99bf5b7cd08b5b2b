import { connect } from 'node:net'
import type { UpstreamTarget } from './upstreamTarget'

/** How long observe waits for the upstream to accept a TCP connection at start. */
export const UPSTREAM_CHECK_TIMEOUT_MS = 5_000

/** Opens and closes one TCP connection to the upstream: null when it accepts, else why it did not. */
export function checkUpstreamReachable(
  upstream: UpstreamTarget,
  timeoutMs = UPSTREAM_CHECK_TIMEOUT_MS
): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host: upstream.host, port: upstream.port })
    socket.setTimeout(timeoutMs, () => {
      socket.destroy()
      resolve(`no answer within ${timeoutMs} ms`)
    })
    socket.once('connect', () => {
      socket.destroy()
      resolve(null)
    })
    socket.once('error', (error) => resolve(error.message))
  })
}
