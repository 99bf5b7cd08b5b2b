import type { IncomingHttpHeaders } from 'node:http'
import { CONTROL_PATH } from '../../../shared/controlFrames'
import { tokensMatch } from './token'

/** The two names our loopback server answers to; anything else in Host is a DNS-rebinding attempt. */
export function ourAuthorities(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`]
}

export function isOurHost(host: string | undefined, port: number): boolean {
  return host !== undefined && ourAuthorities(port).includes(host.toLowerCase())
}

export function isOurOrigin(origin: string, port: number): boolean {
  return ourAuthorities(port).some((authority) => origin === `http://${authority}`)
}

export type UpgradeVerdict = { ok: true } | { ok: false; status: 401 | 403 | 404; reason: string }

/**
 * Decides an HTTP request for the session's recording (RECORDING_DOWNLOAD_PATH): the same rules as the control
 * channel's upgrade. Host must be ours, a browser's Origin (sent on cross-site requests) or Sec-Fetch-Site must
 * say the request comes from our own page, and the token must match.
 */
export function authorizeDownload(
  request: { url?: string | undefined; headers: IncomingHttpHeaders },
  expected: { port: number; token: string }
): UpgradeVerdict {
  const { host, origin } = request.headers
  if (!isOurHost(host, expected.port)) {
    return { ok: false, status: 403, reason: `Host must be ${ourAuthorities(expected.port).join(' or ')}` }
  }
  const site = request.headers['sec-fetch-site']
  if (
    (origin !== undefined && !isOurOrigin(origin, expected.port)) ||
    (site !== undefined && site !== 'same-origin' && site !== 'none')
  ) {
    return {
      ok: false,
      status: 403,
      reason: "Not requested by this server's page; cross-site requests are refused"
    }
  }
  const url = new URL(request.url ?? '/', `http://127.0.0.1:${expected.port}`)
  return tokenVerdict(url, expected.token)
}

/**
 * Decides a WebSocket upgrade before the handshake. A browser always sends Origin, so a foreign page cannot pass;
 * a client without Origin (a script, the CLI) is let in on the token alone, which every client needs anyway.
 */
export function authorizeUpgrade(
  request: { url?: string | undefined; headers: IncomingHttpHeaders },
  expected: { port: number; token: string }
): UpgradeVerdict {
  const { host, origin } = request.headers
  if (!isOurHost(host, expected.port)) {
    return { ok: false, status: 403, reason: `Host must be ${ourAuthorities(expected.port).join(' or ')}` }
  }
  if (origin !== undefined && !isOurOrigin(origin, expected.port)) {
    return { ok: false, status: 403, reason: 'Origin is not this server; cross-site connections are refused' }
  }
  const url = new URL(request.url ?? '/', `http://127.0.0.1:${expected.port}`)
  if (url.pathname !== CONTROL_PATH) {
    return {
      ok: false,
      status: 404,
      reason: `No WebSocket endpoint here; the control channel is ${CONTROL_PATH}`
    }
  }
  return tokenVerdict(url, expected.token)
}

/** The paths that answer with the app's page; everything else the static handler serves is the public bundle. */
export function isPagePath(pathname: string): boolean {
  return pathname === '/' || pathname === '/index.html'
}

/**
 * Decides a GET or HEAD for the app's page (Host already checked): it needs the token too, so a wrong or missing one
 * gets a page that says so instead of an app that can only fail to connect.
 */
export function authorizePage(
  requestUrl: string | undefined,
  expected: { port: number; token: string }
): UpgradeVerdict {
  return tokenVerdict(new URL(requestUrl ?? '/', `http://127.0.0.1:${expected.port}`), expected.token)
}

/** The last check of every guard: the per-launch token in `?token=`. */
function tokenVerdict(url: URL, token: string): UpgradeVerdict {
  if (tokensMatch(url.searchParams.get('token'), token)) return { ok: true }
  return {
    ok: false,
    status: 401,
    reason: 'Missing or wrong ?token=; use the URL the server printed at start'
  }
}
