/** The backend observe mode relays to. */
export interface UpstreamTarget {
  /** As given, normalised: `ws://host:port`. */
  readonly url: string
  readonly host: string
  readonly port: number
}

/**
 * Reads `--upstream`: a `ws://HOST:PORT` origin. The relay keeps each request's own path and query, so the
 * upstream names no path of its own; `http://` is accepted as the same origin.
 */
export function parseUpstream(text: string): UpstreamTarget | string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return `expected a URL such as ws://127.0.0.1:8787, got '${text}'`
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'http:')
    return `expected ws:// (or http://), got ${url.protocol}// ('${text}'); wss:// upstreams are not supported`
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '')
    return `expected an origin only (ws://HOST:PORT): requests keep their own path and query, got '${text}'`
  if (url.username || url.password) return `expected no user name or password in the URL, got '${text}'`
  const port = url.port === '' ? 80 : Number(url.port)
  // URL keeps IPv6 hosts bracketed; net and http want them bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  return { url: `ws://${url.host}`, host, port }
}
