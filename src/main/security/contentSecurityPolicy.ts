/**
 * The one Content-Security-Policy of the renderer, sent as a header (Electron's onHeadersReceived, the web-mode
 * server) and repeated as a <meta> in src/renderer/index.html for file:// loads, which carry no headers.
 *
 * No 'unsafe-eval' and no inline scripts. Inline styles are allowed because React Flow positions nodes with style
 * attributes. connect-src names the loopback WebSocket origins because the web-mode control channel listens on a
 * random port, and older engines do not match ws: against 'self'.
 */
const DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data: blob:"],
  ['font-src', "'self' data:"],
  ['connect-src', "'self' ws://127.0.0.1:* ws://localhost:*"],
  ['worker-src', "'self' blob:"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"]
]

/** Browsers ignore frame-ancestors in a <meta> (and warn), so only the header form carries it. */
const HEADER_ONLY: ReadonlyArray<readonly [string, string]> = [['frame-ancestors', "'none'"]]

const join = (directives: ReadonlyArray<readonly [string, string]>): string =>
  directives.map(([name, value]) => `${name} ${value}`).join('; ')

/** For the Content-Security-Policy response header. */
export const CONTENT_SECURITY_POLICY = join([...DIRECTIVES, ...HEADER_ONLY])

/** For `<meta http-equiv="Content-Security-Policy" content="...">` in index.html. */
export const CONTENT_SECURITY_POLICY_META = join(DIRECTIVES)
