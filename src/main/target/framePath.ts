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
  const value = valueAt(frame, segments)
  if (value !== undefined) return { ok: true, value }
  return { ok: false, problem: missingProblem(frame, segments, path) }
}

/** An id must be a non-empty string or a number (numbers become their decimal text). */
export function readIdAt(frame: unknown, segments: readonly string[], path: string): PathRead {
  const id = idAt(frame, segments)
  if (id !== null) return { ok: true, value: id }
  return { ok: false, problem: idProblem(frame, segments, path) }
}

/**
 * The id at `segments` as text, or null where readIdAt would say why not: the per-frame reading allocates nothing
 * but the text, and the problem is worded only for frames that have one.
 */
export function idAt(frame: unknown, segments: readonly string[]): string | null {
  const value = valueAt(frame, segments)
  if (typeof value === 'string') return value === '' ? null : value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return null
}

/** Why idAt found no id at `segments`. */
export function idProblem(frame: unknown, segments: readonly string[], path: string): string {
  const value = valueAt(frame, segments)
  if (value === undefined) return missingProblem(frame, segments, path)
  const found = value === null ? 'null' : typeof value === 'string' ? 'an empty string' : typeof value
  return `${path} is ${found}, expected a non-empty string or a number`
}

/** The value at `segments`, or undefined where the walk stops. */
export function valueAt(frame: unknown, segments: readonly string[]): unknown {
  let value = frame
  for (let depth = 0; depth < segments.length && value !== undefined; depth++)
    value = step(value, segments[depth] as string)
  return value
}

function step(value: unknown, segment: string): unknown {
  if (Array.isArray(value)) return /^\d+$/.test(segment) ? value[Number(segment)] : undefined
  if (value !== null && typeof value === 'object')
    return Object.hasOwn(value, segment) ? (value as Record<string, unknown>)[segment] : undefined
  return undefined
}

/** Where the walk to `segments` stopped, for a path valueAt does not find. */
function missingProblem(frame: unknown, segments: readonly string[], path: string): string {
  let value = frame
  for (let depth = 0; depth < segments.length; depth++) {
    const segment = segments[depth] as string
    value = step(value, segment)
    if (value === undefined) {
      const at = depth === 0 ? 'the frame' : `'${segments.slice(0, depth).join('.')}'`
      return `no '${segment}' in ${at} (path ${path})`
    }
  }
  return `no value at ${path}`
}
