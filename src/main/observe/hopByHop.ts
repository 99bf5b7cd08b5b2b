/**
 * Headers that describe one HTTP hop (RFC 9110 7.6.1), which Node sets itself on each side of the relay; every
 * other header goes through as the client or the upstream sent it, names' case and order included.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade'
])

/**
 * A rawHeaders list ([name, value, name, value, …]) without this hop's headers, those its Connection names, and
 * any `also` (lower case).
 */
export function endToEndHeaders(rawHeaders: readonly string[], also: readonly string[] = []): string[] {
  const named = new Set([...HOP_BY_HOP, ...also])
  for (let i = 0; i < rawHeaders.length; i += 2)
    if (rawHeaders[i]?.toLowerCase() === 'connection')
      for (const token of (rawHeaders[i + 1] ?? '').split(',')) named.add(token.trim().toLowerCase())
  const kept: string[] = []
  for (let i = 0; i + 1 < rawHeaders.length; i += 2)
    if (!named.has((rawHeaders[i] as string).toLowerCase()))
      kept.push(rawHeaders[i] as string, rawHeaders[i + 1] as string)
  return kept
}

/** An HTTP/1.1 response head written by hand onto a socket that is no longer an HTTP response. */
export function responseHead(
  statusCode: number,
  statusMessage: string,
  rawHeaders: readonly string[]
): string {
  let head = `HTTP/1.1 ${statusCode} ${statusMessage}\r\n`
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) head += `${rawHeaders[i]}: ${rawHeaders[i + 1]}\r\n`
  return head + '\r\n'
}
