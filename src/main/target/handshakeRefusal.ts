const FIRST_LINE_CHARS = 120

/** What a user sent with a handshake that the server refused, values never shown. */
export interface SentCredentials {
  headers: Readonly<Record<string, string>>
  cookie: string | null
  /** The url as shown in messages: a token passed in the query is already masked as `***`. */
  displayUrl: string
  /** The Sec-WebSocket-Protocol values offered (a server may read a token there). */
  subprotocols?: readonly string[]
}

/**
 * The message for a handshake the server answered with an HTTP status instead of 101: the status, the first line
 * of what it said (a web server's 404 page is HTML: its title or first line of text, never the whole page), and
 * what was sent that the server may have refused (header names, masked query parameters, cookie names; no values).
 */
export function handshakeRefusedMessage(
  status: number | undefined,
  contentType: string | undefined,
  body: string,
  sent: SentCredentials
): string {
  const said = firstLine(body, contentType)
  return `handshake refused with HTTP ${status ?? '?'}${said ? `: ${said}` : ''}; sent ${describeSent(sent)}; check auth and users in the target file`
}

/** The first line a person would read: an HTML page's title or first text, else the body's first non-empty line. */
export function firstLine(body: string, contentType: string | undefined): string {
  const html = /html/i.test(contentType ?? '') || /^\s*</.test(body)
  let text = body
  if (html) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]
    text = title?.trim()
      ? title
      : body.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, '\n')
  }
  const line = text
    .split(/\r?\n/)
    .map((part) => part.replace(/\s+/g, ' ').trim())
    .find((part) => part !== '')
  if (line === undefined) return ''
  return line.length > FIRST_LINE_CHARS ? `${line.slice(0, FIRST_LINE_CHARS)}…` : line
}

/** "header Authorization, query parameter token (values redacted)", or that nothing identifying was sent. */
export function describeSent(sent: SentCredentials): string {
  const parts: string[] = []
  const headers = Object.keys(sent.headers).filter((name) => name.toLowerCase() !== 'cookie')
  if ((sent.subprotocols ?? []).length > 0) headers.push('Sec-WebSocket-Protocol')
  if (headers.length > 0) parts.push(`header${headers.length > 1 ? 's' : ''} ${headers.join(', ')}`)
  const masked = maskedQueryParameters(sent.displayUrl)
  if (masked.length > 0) parts.push(`query parameter${masked.length > 1 ? 's' : ''} ${masked.join(', ')}`)
  const cookies = (sent.cookie ?? '')
    .split(';')
    .map((pair) => pair.split('=')[0]?.trim() ?? '')
    .filter((name) => name !== '')
  if (cookies.length > 0) parts.push(`cookie${cookies.length > 1 ? 's' : ''} ${cookies.join(', ')}`)
  if (parts.length === 0) return 'no auth header, query token or cookie'
  return `${parts.join(', ')} (values redacted)`
}

function maskedQueryParameters(displayUrl: string): string[] {
  try {
    return [...new URL(displayUrl).searchParams].filter(([, value]) => value === '***').map(([name]) => name)
  } catch {
    return []
  }
}
