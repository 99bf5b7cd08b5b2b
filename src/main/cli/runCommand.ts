import { writeFile } from 'node:fs/promises'
import { z } from 'zod'
import { scenarioRunModeSchema, type ScenarioRunResult } from '../../shared/scenario'
import { ScenarioFileError } from '../scenarios/loadScenario'
import { markdownReport } from '../scenarios/report/markdownReport'
import { resolveScenario, UnknownScenarioError } from '../scenarios/resolveScenario'
import { runScenario } from '../scenarios/runScenario'
import { CliUsageError } from './cliError'
import { checkOutputPath } from './outputPath'
import { intFlag, parseCommandArgs } from './parseCommandArgs'

export const RUN_USAGE = `run <id|file.json> [--mode failure|fixed|both] [--seed S] [--json] [--report out.md]
  Replays a scenario on fresh runtimes: the failure (and its variants), the fix, or both.
  Exit: 0 it behaved as it claims, 1 an expectation did not hold, 3 a why is not bound to a trace step,
  2 bad arguments or an invalid scenario file.
  A why's evidence must tell its run from the other (the fix for a failing run, the failure for the fix):
  evidence that matches there too is refused like an unbound why (exit 3).`

/** Exit codes of `run`, documented in RUN_USAGE and docs/scenarios.md. */
export const RUN_EXIT = { asClaimed: 0, expectationFailed: 1, invalid: 2, whyUnbound: 3 } as const

const runArgsSchema = z.strictObject({
  mode: scenarioRunModeSchema.default('both'),
  seed: intFlag(z, 0, 2 ** 31 - 1).optional(),
  json: z.boolean().default(false),
  report: z.string().min(1).optional(),
  positionals: z
    .array(z.string())
    .length(1, 'give exactly one scenario: a built-in id (see `list`) or a path to a .json file')
})

export async function runCommand(argv: string[], print: (line: string) => void): Promise<number> {
  const args = parseCommandArgs(
    'run',
    argv,
    {
      mode: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
      report: { type: 'string' }
    },
    runArgsSchema
  )
  if (args.report) await checkOutputPath('report', args.report)
  let resolved
  try {
    resolved = await resolveScenario(args.positionals[0] as string)
  } catch (error) {
    if (error instanceof ScenarioFileError || error instanceof UnknownScenarioError)
      throw new CliUsageError(error.message)
    throw error
  }
  const result = await runScenario(resolved.scenario, {
    mode: args.mode,
    builtin: resolved.builtin,
    ...(args.seed !== undefined ? { seed: args.seed } : {})
  })
  // Checked before the run, but the disk can still refuse: the results are printed either way.
  const written = args.report
    ? await writeFile(args.report, markdownReport(result), 'utf8').then(
        () => null,
        (error: unknown) => (error instanceof Error ? error.message : String(error))
      )
    : null
  const exitCode = runExitCode(result)
  if (args.json) print(JSON.stringify({ ...result, exitCode }, null, 2))
  else for (const line of formatRunResult(result, exitCode, written ? undefined : args.report)) print(line)
  if (written) throw new CliUsageError(`--report ${args.report}: could not be written: ${written}`)
  return exitCode
}

export function runExitCode(result: ScenarioRunResult): number {
  if (result.runs.some((run) => !run.held || run.runs.timedOut)) return RUN_EXIT.expectationFailed
  if (!result.verdict.whysBound) return RUN_EXIT.whyUnbound
  return RUN_EXIT.asClaimed
}

function formatRunResult(
  result: ScenarioRunResult,
  exitCode: number,
  reportPath: string | undefined
): string[] {
  const lines = [
    `${result.scenario.id}: ${result.scenario.title}`,
    `source: ${result.scenario.source.report}, seed ${result.seed}`
  ]
  for (const run of result.runs) {
    const startup =
      run.startup.state === 'ready' ? 'ready' : `failed in ${run.startup.failedPhase?.toUpperCase()}`
    lines.push('', `${run.run} (${run.mode}): start-up ${startup}, ${run.trace.length} trace steps`)
    for (const expectation of run.expectations) {
      lines.push(`  ${expectation.held ? 'held  ' : 'FAILED'} ${expectation.label}`)
      if (!expectation.held)
        lines.push(`         expected ${expectation.expected}`, `         found    ${expectation.found}`)
    }
  }
  lines.push('', 'whys:')
  for (const why of result.whys) {
    const alsoIn = why.contrast?.seq != null ? `, ALSO in ${why.contrast.run} (step ${why.contrast.seq})` : ''
    const where =
      why.seq !== null
        ? `step ${why.seq} of ${why.run}${alsoIn}`
        : why.problem
          ? 'NOT BOUND'
          : `${why.run} not run`
    lines.push(`  ${why.index}. ${why.question} -> ${where}`)
    if (why.problem) lines.push(`     ${why.problem}`)
  }
  const verdict = result.verdict
  lines.push(
    '',
    `failure reproduced: ${verdict.reproduced === null ? 'not run' : verdict.reproduced ? 'yes' : 'NO'}; ` +
      `fix fixes it: ${verdict.fixed === null ? 'not run' : verdict.fixed ? 'yes' : 'NO'}`
  )
  if (reportPath) lines.push(`report written to ${reportPath}`)
  lines.push(`exit code: ${exitCode}`)
  return lines
}
