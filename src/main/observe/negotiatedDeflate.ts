/** What the two real ends agreed about permessage-deflate (RFC 7692), read from the upstream's 101 response. */
export interface NegotiatedDeflate {
  /** The client starts every message with an empty window: its messages are inflated each on its own. */
  readonly clientNoContextTakeover: boolean
  /** The same for the server's messages. */
  readonly serverNoContextTakeover: boolean
}

/**
 * Reads the accepted permessage-deflate offer from a 101's Sec-WebSocket-Extensions header, or null when the
 * ends did not agree on it. Window sizes do not matter to the tap: it inflates with the largest window, which
 * reads any smaller one.
 */
export function negotiatedDeflate(header: string | string[] | undefined): NegotiatedDeflate | null {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header]
  for (const extension of values.flatMap((value) => value.split(','))) {
    const [name, ...params] = extension.split(';').map((part) => part.trim())
    if (name?.toLowerCase() !== 'permessage-deflate') continue
    const keys = new Set(params.map((param) => (param.split('=')[0] ?? '').trim().toLowerCase()))
    return {
      clientNoContextTakeover: keys.has('client_no_context_takeover'),
      serverNoContextTakeover: keys.has('server_no_context_takeover')
    }
  }
  return null
}
