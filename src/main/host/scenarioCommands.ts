import type { Command, CommandReply } from '../../shared/inspectorApi'
import type { ScenarioListResult, ScenarioReportResult, ScenarioRunResult } from '../../shared/scenario'
import { builtinScenarios, findBuiltinScenario } from '../scenarios/builtinScenarios'
import { markdownReport } from '../scenarios/report/markdownReport'
import { runScenario } from '../scenarios/runScenario'
import { summarize } from '../scenarios/scenarioSummary'

type ScenarioCommand = Extract<Command, { cmd: 'list_scenarios' | 'run_scenario' | 'scenario_report' }>

/** The scenario part of the InspectorApi. Results follow the schemas in src/shared/scenario.ts. */
export interface ScenarioCommands {
  handle(command: ScenarioCommand): Promise<CommandReply>
}

/**
 * Built-in scenarios only: the UI names a scenario by id and never hands the main process a path. Runs are made
 * one at a time (each boots its own runtimes); the last full run of each scenario is kept for its report.
 */
export function createScenarioCommands(): ScenarioCommands {
  const lastFullRun = new Map<string, ScenarioRunResult>()
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work)
    queue = next.catch(() => undefined)
    return next
  }
  const run = (id: string, mode: ScenarioRunResult['mode']): Promise<ScenarioRunResult | null> =>
    serial(async () => {
      const scenario = findBuiltinScenario(id)
      if (!scenario) return null
      const result = await runScenario(scenario, { mode, builtin: true })
      if (mode === 'both') lastFullRun.set(id, result)
      return result
    })

  return {
    handle: async (command) => {
      switch (command.cmd) {
        case 'list_scenarios': {
          const result: ScenarioListResult = {
            scenarios: builtinScenarios().map((scenario) => summarize(scenario, true))
          }
          return { ok: true, result }
        }
        case 'run_scenario': {
          const result = await run(command.id, command.mode)
          return result ? { ok: true, result } : unknown(command.id)
        }
        case 'scenario_report': {
          const result = lastFullRun.get(command.id) ?? (await run(command.id, 'both'))
          if (!result) return unknown(command.id)
          const report: ScenarioReportResult = {
            id: command.id,
            markdown: markdownReport(result),
            verdict: result.verdict
          }
          return { ok: true, result: report }
        }
      }
    }
  }
}

function unknown(id: string): CommandReply {
  const ids = builtinScenarios().map((scenario) => scenario.id)
  return {
    ok: false,
    error: { message: `no built-in scenario '${id}'; expected one of ${ids.join(', ')}`, path: 'id' }
  }
}
