import { readFile } from 'node:fs/promises'
import { parseJson } from '../../shared/json'
import { targetFileSchema, type TargetFile } from '../../shared/targetFile'
import { closestKey, knownKeysAt } from './knownKeys'
import { TargetFileError } from './targetFileError'

/** Reads and validates a target file; a missing file, bad JSON or a schema problem is a TargetFileError. */
export async function loadTargetFile(path: string): Promise<TargetFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new TargetFileError(path, [
      `cannot read the target file (${reason}); pass the path of a .json target file`
    ])
  }
  return parseTargetFile(path, text)
}

export function parseTargetFile(name: string, text: string): TargetFile {
  const parsed = parseJson(text)
  if (!parsed.ok) throw new TargetFileError(name, [`not JSON: ${parsed.error}`])
  const result = targetFileSchema.safeParse(parsed.value)
  if (!result.success) {
    throw new TargetFileError(
      name,
      result.error.issues.flatMap((issue) => {
        const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)'
        if (issue.code === 'unrecognized_keys')
          return issue.keys.map((key) => `${where}: ${unknownKeyMessage(key, issue.path)} (see docs/target-mode.md)`)
        // zod's words for an absent JSON value are "Invalid input"; say what is actually wrong.
        const message =
          issue.code !== 'custom' && valueAt(parsed.value, issue.path) === undefined
            ? 'required, but missing'
            : issue.message
        return [`${where}: ${message} (see docs/target-mode.md)`]
      })
    )
  }
  return result.data
}

/** A key the format does not have: the one it most likely meant, else every one it may be. */
function unknownKeyMessage(key: string, path: readonly PropertyKey[]): string {
  const known = knownKeysAt(targetFileSchema, path)
  const meant = closestKey(key, known)
  if (meant) return `unknown key "${key}"; did you mean "${meant}"?`
  return known.length > 0 ? `unknown key "${key}"; expected one of ${known.join(', ')}` : `unknown key "${key}"`
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined
    at = (at as Record<PropertyKey, unknown>)[key]
  }
  return at
}
