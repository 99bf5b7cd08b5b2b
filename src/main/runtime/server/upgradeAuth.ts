import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export type UpgradeVerdict =
  { ok: true; userId: string } | { ok: false; status: 400 | 401 | 403 | 404 | 503; reason: string }

const USER_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/

/**
 * Decides on an upgrade before any handshake. The runtime port serves simulated users (non-browser clients), so
 * a request carrying an Origin header is a web page trying to reach it and is refused outright.
 */
export function verifyRuntimeUpgrade(
  request: IncomingMessage,
  expected: { token: string; port: number; ready: boolean }
): UpgradeVerdict {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1')
  if (url.pathname !== '/ws')
    return { ok: false, status: 404, reason: `no WebSocket endpoint at ${url.pathname}; use /ws` }
  const host = request.headers.host ?? ''
  if (host !== `127.0.0.1:${expected.port}` && host !== `localhost:${expected.port}`) {
    return {
      ok: false,
      status: 403,
      reason: `Host '${host}' is not this runtime (expected 127.0.0.1:${expected.port})`
    }
  }
  if (request.headers.origin !== undefined) {
    return {
      ok: false,
      status: 403,
      reason: `browser Origin '${request.headers.origin}' refused: the runtime port is for simulated users`
    }
  }
  const token = url.searchParams.get('token') ?? bearer(request.headers.authorization)
  if (!token || !sameSecret(token, expected.token))
    return { ok: false, status: 401, reason: 'missing or wrong token' }
  const userId = url.searchParams.get('user_id') ?? ''
  if (!USER_ID_PATTERN.test(userId)) {
    return { ok: false, status: 400, reason: 'user_id must be 1-128 characters of letters, digits and _.:-' }
  }
  if (!expected.ready) return { ok: false, status: 503, reason: 'runtime start-up has not reached READINESS' }
  return { ok: true, userId }
}

function bearer(header: string | undefined): string | null {
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : null
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
