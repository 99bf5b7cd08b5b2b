/**
 * A simulated user's cookies: those the target file gives, plus those its HTTP steps' replies set. One jar per
 * user, sent with every later HTTP step and with the socket handshakes. Name and value only: a test account talks
 * to one backend, so Domain and Path are not honoured; Max-Age=0 or a past Expires removes a cookie.
 */
export class CookieJar {
  private readonly cookies: Map<string, string>

  constructor(initial: Readonly<Record<string, string>>) {
    this.cookies = new Map(Object.entries(initial))
  }

  /** Takes the Set-Cookie headers of a reply. */
  absorb(setCookie: readonly string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const [pair = '', ...attributes] = line.split(';')
      const equals = pair.indexOf('=')
      if (equals <= 0) continue
      const name = pair.slice(0, equals).trim()
      const value = pair.slice(equals + 1).trim()
      if (attributes.some((attribute) => isExpiry(attribute.trim()))) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }

  /** The Cookie header, or null when the jar is empty. */
  header(): string | null {
    if (this.cookies.size === 0) return null
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }
}

function isExpiry(attribute: string): boolean {
  const [key = '', value = ''] = attribute.split('=', 2)
  if (key.toLowerCase() === 'max-age') return Number(value) <= 0
  if (key.toLowerCase() === 'expires') return Date.parse(value) < Date.now()
  return false
}
