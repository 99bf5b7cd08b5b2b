import type { z } from 'zod'

/** The parts of zod's internal definition this walk reads; every schema kind carries `type`. */
interface Definition {
  type: string
  shape?: Record<string, z.core.$ZodType>
  innerType?: z.core.$ZodType
  in?: z.core.$ZodType
  element?: z.core.$ZodType
  keyType?: z.core.$ZodType
  options?: z.core.$ZodType[]
  entries?: Record<string, unknown>
  getter?: () => z.core.$ZodType
}

const definitionOf = (schema: z.core.$ZodType): Definition => schema._zod.def as unknown as Definition

/**
 * The keys an object of `schema` may have at `path` (object fields, or a record's enumerated keys), for a message
 * about a key that is not one of them; empty when the path leads nowhere known.
 */
export function knownKeysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  const found = new Set<string>()
  collect(schema, path, found, 0)
  return [...found]
}

function collect(schema: z.core.$ZodType, path: readonly PropertyKey[], found: Set<string>, depth: number): void {
  if (depth > 64) return
  const def = definitionOf(schema)
  const inner = def.innerType ?? def.in ?? (def.type === 'lazy' ? def.getter?.() : undefined)
  if (inner) return collect(inner, path, found, depth + 1)
  if (def.type === 'union') {
    for (const option of def.options ?? []) collect(option, path, found, depth + 1)
    return
  }
  const [key, ...rest] = path
  if (def.type === 'object' && def.shape) {
    if (key === undefined) for (const name of Object.keys(def.shape)) found.add(name)
    else if (typeof key === 'string' && def.shape[key]) collect(def.shape[key], rest, found, depth + 1)
    return
  }
  if (def.type === 'array' && def.element && typeof key === 'number')
    return collect(def.element, rest, found, depth + 1)
  if (def.type === 'record' && def.keyType && key === undefined) {
    const entries = definitionOf(def.keyType).entries
    for (const name of Object.keys(entries ?? {})) found.add(name)
  }
}

/** The known key a mistyped one most likely meant: the same but for case, or one or two letters off. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase()
  const sameButCase = known.find((name) => name.toLowerCase() === lower)
  if (sameButCase) return sameButCase
  let best: { name: string; distance: number } | undefined
  for (const name of known) {
    const distance = editDistance(lower, name.toLowerCase())
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance }
  }
  return best?.name
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, at) => at)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      )
    previous = current
  }
  return previous[b.length] ?? 0
}
