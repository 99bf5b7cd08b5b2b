import { CONTENT_SECURITY_POLICY } from './contentSecurityPolicy'

/** Headers every renderer response carries, in Electron and in web mode. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  // The web-mode URL carries the control token in its query: never hand it to another origin.
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin'
}

/**
 * Electron's onHeadersReceived replaces the whole header map: drop any header we set (whatever its case, so a dev
 * server's own CSP cannot sit beside ours) and add ours.
 */
export function withSecurityHeaders(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const ours = new Set(Object.keys(SECURITY_HEADERS).map((name) => name.toLowerCase()))
  const kept = Object.entries(headers ?? {}).filter(([name]) => !ours.has(name.toLowerCase()))
  const added = Object.entries(SECURITY_HEADERS).map(([name, value]): [string, string[]] => [name, [value]])
  return Object.fromEntries([...kept, ...added])
}
