import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { z } from 'zod'
import { CliUsageError } from './cliError'

/**
 * Parses argv with node's strict parser, then checks the values with a zod schema, so that every bad argument
 * gets a message naming the flag and what it expected.
 */
export function parseCommandArgs<Schema extends z.ZodType>(
  command: string,
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  schema: Schema
): z.output<Schema> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (error) {
    throw new CliUsageError(`${command}: ${error instanceof Error ? error.message : String(error)}`)
  }
  const given: Record<string, unknown> = { ...parsed.values, positionals: parsed.positionals }
  const result = schema.safeParse(given)
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const flag = issue.path.length > 0 ? `--${String(issue.path[0])}` : 'arguments'
      // zod's words for an absent flag are "expected string, received undefined": say it is missing.
      const absent =
        issue.code === 'invalid_type' && issue.path.length === 1 && given[String(issue.path[0])] === undefined
      return absent ? `${flag}: required, but missing; give ${flag} <value>` : `${flag}: ${issue.message}`
    })
    throw new CliUsageError(`${command}: ${problems.join('; ')}`)
  }
  return result.data
}

/** A numeric flag given as text, checked as an integer in [min, max]. */
export const intFlag = (zod: typeof z, min: number, max: number) =>
  zod
    .string()
    .regex(/^-?\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(zod.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
