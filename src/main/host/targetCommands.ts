import type { Command, CommandReply } from '../../shared/inspectorApi'
import { InspectionBus } from '../runtime/inspection/inspectionBus'
import { collectLines } from '../runtime/inspection/lineCollector'
import { parseTargetFile } from '../target/loadTargetFile'
import { prepareTarget } from '../target/prepareTarget'
import { runTarget, TARGET_RUN_HISTORY } from '../target/runTarget'
import { TargetFileError } from '../target/targetFileError'
import { targetExitCode } from '../target/targetReport'

type RunTargetCommand = Extract<Command, { cmd: 'run_target' }>

/**
 * Target mode from the app. The target runs on a stream of its own, apart from the embedded runtime's, and comes
 * back whole: the report (as the CLI's --json), the exit code the CLI would give, and the stream as NDJSON for
 * the recording views. One target run at a time.
 */
export function createTargetCommands(): { handle(command: RunTargetCommand): Promise<CommandReply> } {
  let running = false
  return {
    async handle(command) {
      if (running)
        return { ok: false, error: { message: 'A target run is already going on; wait for its reply.' } }
      const url = command.url === undefined ? {} : { url: command.url }
      let prepared
      try {
        const file = parseTargetFile('target file', command.target)
        prepared = { file, users: prepareTarget('target file', file, { users: command.users, ...url }) }
      } catch (error) {
        if (error instanceof TargetFileError)
          return { ok: false, error: { message: error.message, path: 'target' } }
        throw error
      }
      running = true
      try {
        const bus = new InspectionBus(TARGET_RUN_HISTORY)
        const collected = collectLines(bus)
        const report = await runTarget(prepared.file, prepared.users, { runs: command.runs, bus, ...url })
        collected.stop()
        const ndjson = collected.lines.map((line) => `${line}\n`).join('')
        return { ok: true, result: { report, exitCode: targetExitCode(report), ndjson } }
      } finally {
        running = false
      }
    }
  }
}
