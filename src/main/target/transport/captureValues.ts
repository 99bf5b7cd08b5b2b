import { parseFramePath, readFramePath } from '../framePath'
import type { Captured } from '../userPlan'

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
    const read = readFramePath(from, parseFramePath(path), path, `the ${source}`)
    if (!read.ok) throw new Error(`${field}.capture.${name}: ${read.problem}`)
    const value = read.value
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
      throw new Error(
        `${field}.capture.${name}: ${path} is ${value === null ? 'null' : typeof value}, expected a string, number or boolean`
      )
    captured[name] = String(value)
  }
  return captured
}
