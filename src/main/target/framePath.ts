export type PathRead = { ok: true; value: unknown } | { ok: false; problem: string }

/**
 * Splits a frame path: a JSON pointer ("/owner/user", RFC 6901 escapes ~0 and ~1) or a dotted path
 * ("owner.user"); numeric segments index arrays either way.
 */
export function parseFramePath(path: string): string[] {
  if (path.startsWith('/'))
    return path
      .slice(1)
      .split('/')
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
  return path.split('.')
}

/** A dotted path with an empty segment (`user_id.`, `.user`, `a..b`) is a typo: it would silently read nothing. */
export function dottedPathProblem(path: string): string | null {
  if (path.startsWith('/') || !path.split('.').includes('')) return null
  return `'${path}' has an empty segment; a dotted path is name.name (or give a JSON pointer such as /user_id)`
}

/** Reads the value at `segments` in a parsed frame; says where the walk stopped when it is not there. */
export function readFramePath(frame: unknown, segments: readonly string[], path: string): PathRead {
  let value = frame
  for (const [depth, segment] of segments.entries()) {
    if (Array.isArray(value) && /^\d+$/.test(segment)) value = value[Number(segment)]
    else if (value !== null && typeof value === 'object' && !Array.isArray(value))
      value = Object.hasOwn(value, segment) ? (value as Record<string, unknown>)[segment] : undefined
    else value = undefined
    if (value === undefined) {
      const at = depth === 0 ? 'the frame' : `'${segments.slice(0, depth).join('.')}'`
      return { ok: false, problem: `no '${segment}' in ${at} (path ${path})` }
    }
  }
  return { ok: true, value }
}

/** An id must be a non-empty string or a number (numbers become their decimal text). */
export function readIdAt(frame: unknown, segments: readonly string[], path: string): PathRead {
  const read = readFramePath(frame, segments, path)
  if (!read.ok) return read
  if (typeof read.value === 'string' && read.value !== '') return read
  if (typeof read.value === 'number' && Number.isFinite(read.value))
    return { ok: true, value: String(read.value) }
  const found =
    read.value === null ? 'null' : typeof read.value === 'string' ? 'an empty string' : typeof read.value
  return { ok: false, problem: `${path} is ${found}, expected a non-empty string or a number` }
}
