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

/** Keys of the object where a path stopped that a problem lists (names only: values may hold tokens). */
const KEYS_SHOWN = 10

/**
 * Reads the value at `segments` in a parsed frame (or, as `source` says, a reply or an acknowledgement); says where
 * the walk stopped when it is not there, and what is there instead.
 */
export function readFramePath(
  frame: unknown,
  segments: readonly string[],
  path: string,
  source = 'the frame'
): PathRead {
  const value = valueAt(frame, segments)
  if (value !== undefined) return { ok: true, value }
  return { ok: false, problem: missingProblem(frame, segments, path, source) }
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

/**
 * Where the walk to `segments` stopped, for a path valueAt does not find, and what the value there holds: a
 * stranger's first file often reads a key that is spelt otherwise or sits one level off.
 */
function missingProblem(
  frame: unknown,
  segments: readonly string[],
  path: string,
  source = 'the frame'
): string {
  let value = frame
  for (let depth = 0; depth < segments.length; depth++) {
    const segment = segments[depth] as string
    const next = step(value, segment)
    if (next === undefined) {
      const at = depth === 0 ? source : `'${segments.slice(0, depth).join('.')}'`
      return `no '${segment}' in ${at} (path ${path}), which ${holds(value)}`
    }
    value = next
  }
  return `no value at ${path}`
}

/** What a value is, for a path that could not go into it: its keys (never their values), or its kind. */
function holds(value: unknown): string {
  if (Array.isArray(value)) return `is a list of ${value.length}`
  if (value === null) return 'is null'
  if (typeof value !== 'object') return `is a ${typeof value}`
  const keys = Object.keys(value)
  if (keys.length === 0) return 'is an empty object'
  const shown = keys.slice(0, KEYS_SHOWN).join(', ')
  return `has the keys ${shown}${keys.length > KEYS_SHOWN ? ', …' : ''}`
}
