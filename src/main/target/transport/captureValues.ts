import { parseFramePath, readFramePath, valueAt } from '../framePath'
import type { Captured } from '../userPlan'

const KEYS_SHOWN = 10

/**
 * Reads the values a step captures (`capture: {"job": "/jobId"}`) from a reply or an acknowledgement (`source`
 * names which, in messages). A value must be a string, a number or a boolean; anything else, or nothing at the
 * path, is an error naming the field and, for a missing value, the keys that are there (never their values: a
 * login reply holds a token).
 */
export function captureValues(
  field: string,
  capture: Readonly<Record<string, string>>,
  from: unknown,
  source: 'reply' | 'acknowledgement'
): Captured {
  const captured: Record<string, string> = {}
  for (const [name, path] of Object.entries(capture)) {
    const segments = parseFramePath(path)
    const read = readFramePath(from, segments, path)
    if (!read.ok) throw new Error(`${field}.capture.${name}: ${missing(from, segments, path, source)}`)
    const value = read.value
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
      throw new Error(
        `${field}.capture.${name}: ${path} is ${value === null ? 'null' : typeof value}, expected a string, number or boolean`
      )
    captured[name] = String(value)
  }
  return captured
}

/** Where the walk to `path` stopped, and what is there instead. */
function missing(from: unknown, segments: readonly string[], path: string, source: string): string {
  for (let depth = 0; depth < segments.length; depth++) {
    if (valueAt(from, segments.slice(0, depth + 1)) !== undefined) continue
    const parent = valueAt(from, segments.slice(0, depth))
    const at = depth === 0 ? `the ${source}` : `'${segments.slice(0, depth).join('.')}'`
    return `no '${segments[depth] ?? ''}' in ${at} (path ${path}), which ${holds(parent)}`
  }
  return `no value at ${path}`
}

function holds(value: unknown): string {
  if (Array.isArray(value)) return `is a list of ${value.length}`
  if (value === null) return 'is null'
  if (typeof value !== 'object') return `is a ${typeof value}`
  const keys = Object.keys(value)
  if (keys.length === 0) return 'is an empty object'
  const shown = keys.slice(0, KEYS_SHOWN).join(', ')
  return `has the keys ${shown}${keys.length > KEYS_SHOWN ? ', …' : ''}`
}
