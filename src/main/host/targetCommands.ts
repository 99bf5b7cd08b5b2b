import type { InspectionDraft, InspectionEvent } from '../../shared/inspection'
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
 * Target mode from the app. The target runs on a bus of its own, judged there by its own auditor exactly as the
 * CLI's run is, and every event is relayed, as it happens, into the session's live stream (`live()`, read per event:
 * a runtime rebuilt meanwhile has a new bus): the same pushes, history and recording as everything else, so lanes
 * fill while the run goes. The reply still brings the run whole at the end: the report (as the CLI's --json), the
 * exit code the CLI would give, and the stream as NDJSON for the report's views and the download. One target run at
 * a time.
 */
export function createTargetCommands(live: () => InspectionBus): {
  handle(command: RunTargetCommand): Promise<CommandReply>
} {
  let running = false
  return {
    async handle(command) {
      if (running)
        return { ok: false, error: { message: 'A target run is already going on; wait for its reply.' } }
      const url = command.url === undefined ? {} : { url: command.url }
      let prepared
      try {
        const file = parseTargetFile('target file', command.target)
        const groupSize = command.group_size === undefined ? {} : { groupSize: command.group_size }
        prepared = {
          file,
          users: prepareTarget('target file', file, { users: command.users, ...url, ...groupSize })
        }
      } catch (error) {
        if (error instanceof TargetFileError)
          return { ok: false, error: { message: error.message, path: 'target' } }
        throw error
      }
      running = true
      try {
        const bus = new InspectionBus(TARGET_RUN_HISTORY)
        const collected = collectLines(bus)
        const relayed = bus.subscribeLines((line) => live().relay(asDraft(line)))
        let report
        try {
          report = await runTarget(prepared.file, prepared.users, { runs: command.runs, bus, ...url })
        } finally {
          relayed()
          collected.stop()
        }
        const ndjson = collected.lines.map((line) => `${line}\n`).join('')
        return { ok: true, result: { report, exitCode: targetExitCode(report), ndjson } }
      } finally {
        running = false
      }
    }
  }
}

/** A line of the target's bus, without the seq and time it had there: the live stream stamps its own. */
function asDraft(line: string): InspectionDraft {
  const { seq: _seq, ts: _ts, ...draft } = JSON.parse(line) as InspectionEvent
  return draft as InspectionDraft
}
