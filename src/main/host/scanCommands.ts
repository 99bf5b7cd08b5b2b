import type { CommandReply } from '../../shared/inspectorApi'
import type { ScenarioRunResult } from '../../shared/scenarioResult'
import { chainText } from '../scan/format/textReport'
import { shortNames } from '../scan/format/shortNames'
import type { HostCommand } from './inspectorHost'
import { runScenario } from '../scenarios/runScenario'
import { ScanInputError, scanFolder } from '../scan/scanFolder'
import { NothingToReplayError, scanScenario } from '../scan/scenario/scanScenario'

type ScanCommand = Extract<HostCommand, { cmd: 'scan_folder' }>

/**
 * Scan from the app: the folder's findings as the CLI's `scan --format json` reports them, and, when an entry point
 * loads one, the failure its scenario replays (the developer's own modules under the strict wrapper), to open in
 * the Start-up view. One scan at a time; the folder is read where the host runs, like any path the CLI is given.
 */
export function createScanCommands(): { handle(command: ScanCommand): Promise<CommandReply> } {
  let running = false
  return {
    async handle(command) {
      if (running) return { ok: false, error: { message: 'A scan is already going on; wait for its reply.' } }
      running = true
      try {
        const outcome = await scanFolder({
          root: command.path,
          language: command.lang ?? 'auto',
          entries: [],
          calls: [],
          startup: []
        })
        const short = shortNames([...outcome.modules.keys()])
        const chains = outcome.report.findings.map((finding) =>
          finding.chains.map((chain) => chainText(chain, short))
        )
        const answer = (replay: ScenarioRunResult | null): CommandReply => ({
          ok: true,
          result: { report: outcome.report, chains, replay }
        })
        let scenario
        try {
          scenario = scanScenario(outcome.report, outcome.modules, outcome.analysis.imports)
        } catch (error) {
          if (!(error instanceof NothingToReplayError)) throw error
          return answer(null)
        }
        return answer(await runScenario(scenario, { mode: 'failure' }))
      } catch (error) {
        if (error instanceof ScanInputError)
          return { ok: false, error: { message: error.message, path: 'path' } }
        throw error
      } finally {
        running = false
      }
    }
  }
}
