import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import type { InspectionEvent } from '../../shared/inspection'
import { scenarioRunModeSchema, type ScenarioRunResult } from '../../shared/scenarioResult'
import { runExitCode } from '../cli/runCommand'
import { builtinScenarios, findBuiltinScenario } from '../scenarios/builtinScenarios'
import { loadScenarioFile } from '../scenarios/loadScenario'
import { markdownReport } from '../scenarios/report/markdownReport'
import { runScenario } from '../scenarios/runScenario'
import { guardTool, jsonResult, ToolInputError } from './toolCall'

export const runScenarioInput = {
  id: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('A built-in scenario id (see list_scenarios). Give id or file, not both.'),
  file: z
    .string()
    .min(1)
    .max(4096)
    .optional()
    .describe("Path to a scenario .json file (relative to the server's working directory)."),
  mode: scenarioRunModeSchema
    .default('both')
    .describe('failure: the failing system and its variants; fixed: the fix; both (default).'),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional()
    .describe("Overrides the scenario's seed (0 to 2^31-1).")
}

export function registerRunScenario(server: McpServer): void {
  server.registerTool(
    'run_scenario',
    {
      title: 'Replay a five-whys scenario',
      description:
        'Replays a scenario on fresh runtimes (the failure with its fault, the fix, or both), checks what it ' +
        "claims, and binds each why to the trace step that proves it. Returns the verdict, each run's " +
        'expectations, the whys with their evidence (the trace step, and the step that matched in the other run ' +
        'if any), exitCode as `run` would exit (0 as claimed, 1 an expectation failed, 3 a why unbound or not ' +
        'telling the runs apart), and the markdown report (second text block). Progress: one step per run.',
      inputSchema: runScenarioInput,
      annotations: { readOnlyHint: true, openWorldHint: false }
    },
    guardTool('run_scenario', async (args, extra, progress) => {
      if ((args.id === undefined) === (args.file === undefined))
        throw new ToolInputError(
          'give exactly one of id (a built-in scenario, see list_scenarios) or file (a scenario .json)'
        )
      const scenario =
        args.id === undefined ? await loadScenarioFile(args.file as string) : findBuiltin(args.id)
      const result = await runScenario(scenario, {
        mode: args.mode,
        builtin: args.id !== undefined,
        ...(args.seed !== undefined ? { seed: args.seed } : {}),
        signal: extra.signal,
        onRunFinished: (finished, total) =>
          progress.report(finished, total, `run ${finished} of ${total} finished`)
      })
      const markdown = markdownReport(result)
      return jsonResult(scenarioOutcome(result), markdown)
    })
  )
}

function findBuiltin(id: string) {
  const scenario = findBuiltinScenario(id)
  if (scenario) return scenario
  const known = builtinScenarios().map((candidate) => candidate.id)
  throw new ToolInputError(`no built-in scenario '${id}'. Built-in: ${known.join(', ')}; or pass file`)
}

/** The result without the runs' whole traces (hundreds of events): each why carries the steps it rests on. */
function scenarioOutcome(result: ScenarioRunResult) {
  const step = (run: string, seq: number | null | undefined): InspectionEvent | null => {
    if (seq === null || seq === undefined) return null
    return (
      result.runs.find((outcome) => outcome.run === run)?.trace.find((event) => event.seq === seq) ?? null
    )
  }
  return {
    scenario: result.scenario,
    mode: result.mode,
    seed: result.seed,
    verdict: result.verdict,
    exitCode: runExitCode(result),
    runs: result.runs.map((run) => ({
      run: run.run,
      mode: run.mode,
      title: run.title,
      held: run.held,
      startup: run.startup,
      tally: run.tally,
      expectations: run.expectations,
      traceSteps: run.trace.length
    })),
    whys: result.whys.map((why) => ({
      ...why,
      evidence: step(why.run, why.seq),
      ...(why.contrast ? { contrastEvidence: step(why.contrast.run, why.contrast.seq) } : {})
    }))
  }
}
