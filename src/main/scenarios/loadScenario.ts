import { readFile } from 'node:fs/promises'
import type { z } from 'zod'
import { scenarioSchema, type Scenario } from '../../shared/scenario'
import { ChangeError, planRuns } from './resolveSystem'

/** A scenario that cannot be used: every problem names the field path and what was expected there. */
export class ScenarioFileError extends Error {
  constructor(
    readonly source: string,
    readonly problems: ReadonlyArray<{ path: string; message: string }>
  ) {
    super(
      `${source}: ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}\n` +
        problems.map((problem) => `  at ${problem.path}: ${problem.message}`).join('\n')
    )
    this.name = 'ScenarioFileError'
  }
}

/** Checks a parsed JSON value as a scenario, including that every change applies to its base. */
export function parseScenario(value: unknown, source: string): Scenario {
  const result = scenarioSchema.safeParse(value)
  if (!result.success) throw new ScenarioFileError(source, result.error.issues.map(toProblem))
  try {
    planRuns(result.data)
  } catch (error) {
    if (error instanceof ChangeError)
      throw new ScenarioFileError(source, [{ path: formatPath(error.path), message: error.message }])
    throw error
  }
  return result.data
}

export function parseScenarioJson(text: string, source: string): Scenario {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new ScenarioFileError(source, [{ path: '(file)', message: `not valid JSON: ${detail}` }])
  }
  return parseScenario(value, source)
}

export async function loadScenarioFile(path: string): Promise<Scenario> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new ScenarioFileError(path, [{ path: '(file)', message: `cannot be read: ${detail}` }])
  }
  return parseScenarioJson(text, path)
}

function toProblem(issue: z.core.$ZodIssue): { path: string; message: string } {
  return { path: formatPath(issue.path), message: describeIssue(issue) }
}

/** whys[2].evidence.match["error.message"] */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(root)'
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`
      const name = String(key)
      if (/^[A-Za-z_$][\w$]*$/.test(name)) return index === 0 ? name : `.${name}`
      return `[${JSON.stringify(name)}]`
    })
    .join('')
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `'${key}'`).join(', ')}; remove or rename`
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // Name the closest alternative rather than "invalid input": the one that got furthest.
    const best = [...issue.errors].sort((a, b) => deepest(b) - deepest(a))[0] ?? []
    const first = best[0]
    if (first)
      return `${describeIssue(first)}${first.path.length > 0 ? ` (at ${formatPath(first.path)})` : ''}`
  }
  return issue.message
}

function deepest(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((issue) => issue.path.length))
}
