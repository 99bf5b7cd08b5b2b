import { dirname, resolve } from 'node:path'
import { InspectionBus } from '../runtime/inspection/inspectionBus'
import { Recorder } from '../runtime/inspection/recorder'
import { loadTargetFile } from '../target/loadTargetFile'
import { prepareTarget } from '../target/prepareTarget'
import { runTarget, TARGET_RUN_HISTORY } from '../target/runTarget'
import { targetExitCode, type TargetReport } from '../target/targetReport'

export interface TargetSummaryOptions {
  users: number
  runs: number
  /** Replaces the file's url. */
  url?: string
  /** Replaces users.shareKey.groupSize. */
  groupSize?: number
  /** Writes the whole stream there. */
  record?: string
  /** Called as each run is seen to end, with the count so far (for progress). */
  onRunCompleted?: (completed: number) => void
}

/** What `target --json` prints and the MCP server's run_target returns. */
export type TargetSummary = TargetReport & { exitCode: number }

/**
 * Reads and renders the target file (a TargetFileError names every problem before anything connects), then runs
 * the users against the backend and says what happened.
 */
export async function targetSummary(path: string, options: TargetSummaryOptions): Promise<TargetSummary> {
  const file = await loadTargetFile(path)
  const users = prepareTarget(path, file, {
    users: options.users,
    // tls.ca is relative to the target file, so a file and its certificate can move together.
    baseDir: dirname(resolve(path)),
    ...(options.url ? { url: options.url } : {}),
    ...(options.groupSize === undefined ? {} : { groupSize: options.groupSize })
  })
  const bus = new InspectionBus(TARGET_RUN_HISTORY)
  const recorder = options.record ? new Recorder(bus, options.record, { includeHistory: true }) : null
  const unsubscribe = options.onRunCompleted ? countEndedRuns(bus, options.onRunCompleted) : () => {}
  let report
  try {
    report = await runTarget(file, users, {
      runs: options.runs,
      bus,
      ...(options.url ? { url: options.url } : {})
    })
  } finally {
    unsubscribe()
    await recorder?.close()
  }
  return { ...report, exitCode: targetExitCode(report) }
}

/**
 * Counts runs as target mode sees them end: their owner received the run's last expected event (the last role
 * target_started lists). The stream's run_completed events come only at the very end, all at once.
 */
function countEndedRuns(bus: InspectionBus, onRunCompleted: (completed: number) => void): () => void {
  let terminal: string | undefined
  let completed = 0
  return bus.subscribeKinds(['target_started', 'agent_event_delivered'], (event) => {
    if (event.kind === 'target_started') terminal = event.expected.at(-1)
    else if (event.type === terminal && event.owner_user_id === event.receiver_user_id)
      onRunCompleted((completed += 1))
  })
}
