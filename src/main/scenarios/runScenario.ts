import type { Scenario } from '../../shared/scenario'
import type {
  RunOutcome,
  ScenarioRunMode,
  ScenarioRunResult,
  ScenarioVerdict
} from '../../shared/scenarioResult'
import { bindWhys } from './bindWhys'
import { executeRun } from './executeRun'
import { planRuns } from './resolveSystem'
import { summarize } from './scenarioSummary'

export interface RunScenarioOptions {
  mode?: ScenarioRunMode
  /** Overrides the scenario's seed. */
  seed?: number
  builtin?: boolean
  /** Called as each run (failure, variant, fix) finishes, with how many of how many (for progress). */
  onRunFinished?: (finished: number, total: number) => void
  /** Stops at the next step when aborted (the MCP client cancelled), closing the run's users and runtime. */
  signal?: AbortSignal
}

/**
 * Runs a scenario's failure (and its variants), its fix, or both, each on a fresh runtime and one after the
 * other, then binds the whys and says whether the scenario behaved as it claims.
 */
export async function runScenario(
  scenario: Scenario,
  options: RunScenarioOptions = {}
): Promise<ScenarioRunResult> {
  const mode = options.mode ?? 'both'
  const seed = options.seed ?? scenario.seed
  const plans = planRuns(scenario).filter((plan) => mode === 'both' || plan.mode === mode)
  const runs: RunOutcome[] = []
  for (const plan of plans) {
    runs.push(await executeRun(scenario.id, plan, seed, options.signal))
    options.onRunFinished?.(runs.length, plans.length)
  }
  const whys = bindWhys(scenario, runs)
  return {
    scenario: summarize(scenario, options.builtin ?? false),
    mode,
    seed,
    runs,
    whys,
    verdict: verdictOf(runs, whys)
  }
}

function verdictOf(runs: readonly RunOutcome[], whys: ScenarioRunResult['whys']): ScenarioVerdict {
  const problems: string[] = []
  for (const run of runs) {
    for (const result of run.expectations.filter((candidate) => !candidate.held)) {
      problems.push(`${run.run}: expected ${result.expected}; found ${result.found}`)
    }
    if (run.runs.timedOut) problems.push(`${run.run}: a step timed out; the trace may be incomplete`)
  }
  for (const why of whys) if (why.problem) problems.push(why.problem)
  const failing = runs.filter((run) => run.mode === 'failure')
  const fixed = runs.find((run) => run.mode === 'fixed')
  const reproduced = failing.length > 0 ? failing.every((run) => run.held) : null
  const fixedHeld = fixed ? fixed.held : null
  const whysBound = whys.every((why) => why.problem === null)
  const whysDiscriminate = whys.every((why) => why.contrast?.seq == null)
  return {
    reproduced,
    fixed: fixedHeld,
    whysBound,
    whysDiscriminate,
    ok: reproduced !== false && fixedHeld !== false && whysBound && runs.every((run) => !run.runs.timedOut),
    problems
  }
}
