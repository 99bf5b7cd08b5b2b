import type { FaultName } from '../../shared/faults'
import { Recorder } from '../runtime/inspection/recorder'
import { loadExitCode, runLoad, type LoadReport } from '../runtime/load/runLoad'
import { Runtime } from '../runtime/runtime'
import { watchLoad, type LoadDetails } from './loadWatch'

export interface LoadSummaryOptions {
  users: number
  runs: number
  faults: FaultName[]
  seed: number
  pool?: 'worker' | 'in-process'
  /** Writes the whole stream there (the caller checked the path). */
  record?: string
  /** Called as each run completes, with the count so far (for progress). */
  onRunCompleted?: (completed: number) => void
  /** Stops the load when aborted (the MCP client cancelled): the runtime and every user are closed all the same. */
  signal?: AbortSignal
}

/** What `load --json` prints and the MCP server's run_load returns. */
export type LoadSummary = LoadReport & LoadDetails & { exitCode: number }

/**
 * load reads its history back only to start a recording with start-up's events (a few dozen): a small ring,
 * rather than the app's 48 MiB, which every run would otherwise reserve and, lapping it, touch.
 */
const LOAD_HISTORY = { historyLimit: 2_000, historyBytes: 1024 * 1024 } as const

/** Boots a fresh runtime with the faults, runs the load on it, closes it, and says what happened. */
export async function loadSummary(options: LoadSummaryOptions): Promise<LoadSummary> {
  const runtime = await Runtime.start({
    seed: options.seed,
    faults: options.faults,
    missingGraceMs: 60_000,
    ...LOAD_HISTORY
  })
  const recorder = options.record ? new Recorder(runtime.bus, options.record, { includeHistory: true }) : null
  const seen = watchLoad(runtime)
  const onRunCompleted = options.onRunCompleted
  let completed = 0
  const unsubscribe = onRunCompleted
    ? runtime.bus.subscribeKinds(['run_completed'], () => onRunCompleted((completed += 1)))
    : () => {}
  let report: LoadReport
  try {
    report = await runLoad(runtime, {
      users: options.users,
      runs: options.runs,
      ...(options.pool ? { pool: options.pool } : {}),
      ...(options.signal ? { signal: options.signal } : {})
    })
  } finally {
    unsubscribe()
    seen.stop()
    await runtime.close()
    await recorder?.close()
  }
  // A cancelled load's counts are partial: nobody reads them, and a summary would pass them off as the load's.
  options.signal?.throwIfAborted()
  // Closing the runtime closes what the users' leaving did not, such as a shared manager: count it closed.
  report.managers = { created: runtime.factory.stats.created, closed: runtime.factory.stats.closed }
  return { ...report, warnings: seen.warnings(), leaks: seen.leaks(), exitCode: loadExitCode(report) }
}
