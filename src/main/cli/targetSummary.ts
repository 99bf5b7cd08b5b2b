import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { LoadShape } from '../../shared/targetFile'
import { targetReportSchema } from '../../shared/targetResult'
import { InspectionBus } from '../runtime/inspection/inspectionBus'
import { Recorder } from '../runtime/inspection/recorder'
import { loadTargetFile } from '../target/loadTargetFile'
import { descriptorShortfall } from '../target/fileDescriptors'
import { prepareTarget } from '../target/prepareTarget'
import { runNonce, shardSlice } from '../target/shard'
import { TargetFileError } from '../target/targetFileError'
import { runTarget, TARGET_RUN_HISTORY } from '../target/runTarget'
import { targetExitCode, type TargetReport } from '../target/targetReport'

export interface TargetSummaryOptions {
  users: number
  runs: number
  /** Replaces the file's url. */
  url?: string
  /** Replaces users.shareKey.groupSize. */
  groupSize?: number
  /** Replaces fields of the file's load shape (the CLI's --ramp-up, --arrival-rate, --think-time, ...). */
  load?: Partial<LoadShape>
  /** Derives `{{nonce}}` (so canaries, ids and shared keys) from this id: every shard of a run gives the same. */
  runId?: string
  /** Runs only shard `index` (0-based) of `count` of the users; needs runId. */
  shard?: { index: number; count: number }
  /** Writes the whole stream there. */
  record?: string
  /** Called as each run is seen to end, with the count so far (for progress). */
  onRunCompleted?: (completed: number) => void
  /** Stops the run when aborted (the MCP client cancelled): every connection is closed and this rejects. */
  signal?: AbortSignal
}

/** What `target --json` prints and the MCP server's run_target returns. */
export type TargetSummary = TargetReport & { exitCode: number }

/**
 * Reads and renders the target file (a TargetFileError names every problem before anything connects), then runs
 * the users against the backend and says what happened.
 */
export async function targetSummary(path: string, options: TargetSummaryOptions): Promise<TargetSummary> {
  const loaded = await loadTargetFile(path)
  const file = { ...loaded, load: { ...loaded.load, ...options.load } }
  if (file.load.rampUpMs !== undefined && file.load.arrivalRate !== undefined)
    throw new TargetFileError(path, [
      'load: a ramp-up and an arrival rate both say when users arrive; give one (--ramp-up or --arrival-rate)'
    ])
  const users = prepareTarget(path, file, {
    users: options.users,
    ...(options.runId === undefined ? {} : { nonce: runNonce(options.runId) }),
    // tls.ca is relative to the target file, so a file and its certificate can move together.
    baseDir: dirname(resolve(path)),
    ...(options.url ? { url: options.url } : {}),
    ...(options.groupSize === undefined ? {} : { groupSize: options.groupSize })
  })
  const slice = options.shard && shardSlice(options.shard.index, options.shard.count, users.length)
  const active = slice ? users.slice(slice.from - 1, slice.to) : users
  const shortfall = descriptorShortfall(active.length * file.connections)
  if (shortfall) throw new TargetFileError('--users', [`--users: ${shortfall}`])
  const shard =
    options.shard && options.runId !== undefined
      ? {
          run_id: options.runId,
          index: options.shard.index,
          count: options.shard.count,
          users_total: users.length,
          file_sha256: createHash('sha256')
            .update(await readFile(path))
            .digest('hex')
        }
      : undefined
  const bus = new InspectionBus(TARGET_RUN_HISTORY)
  const recorder = options.record ? new Recorder(bus, options.record, { includeHistory: true }) : null
  const unsubscribe = options.onRunCompleted ? countEndedRuns(bus, options.onRunCompleted) : () => {}
  let report
  try {
    report = await runTarget(file, users, {
      runs: options.runs,
      bus,
      active,
      ...(options.url ? { url: options.url } : {}),
      ...(shard ? { shard } : {}),
      ...(options.signal ? { signal: options.signal } : {})
    })
    // A cancelled run's counts are partial: no target_finished, no summary to pass them off as the run's.
    options.signal?.throwIfAborted()
    // The report's interfaces have no index signature; the stream's schema reads it as a loose object.
    bus.emit({
      kind: 'target_finished',
      report: targetReportSchema.parse(report),
      exit_code: targetExitCode(report)
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
