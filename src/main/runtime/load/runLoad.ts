import type { Runtime, StartupOutcome } from '../runtime'
import { InProcessUserPool } from '../users/inProcessUserPool'
import type { UserPool } from '../users/userPool'
import { WorkerUserPool } from '../users/workerUserPool'

export interface LoadOptions {
  users: number
  runs: number
  /** Where the simulated users live. Default: a worker thread from 50 users up, else this thread. */
  pool?: 'worker' | 'in-process'
  /** Give up waiting for runs and deliveries after this long. Default 60 s. */
  timeoutMs?: number
  /** Stops waiting when aborted: the users leave at once (the caller discards the report, see loadSummary). */
  signal?: AbortSignal
}

export interface LoadReport {
  startup: StartupOutcome
  users: { requested: number; connected: number; failed: Array<{ user_id: string; error: string }> }
  runs: {
    requested: number
    completed: number
    refused: number
    refusals: Array<{ user_id: string; message: string }>
  }
  events: { emitted: number; expectedDeliveries: number; delivered: number }
  perUser: Array<{ user_id: string; received: number; own: number; foreign: number }>
  violations: number
  runsWithMissingEvents: number
  runsOutOfOrder: number
  latencyMs: { p50: number | null; p99: number | null }
  managers: { created: number; closed: number }
  /** Why the worker of simulated users died mid-load, or null. */
  poolCrash: string | null
  timedOut: boolean
  elapsedMs: number
}

/**
 * Connects N simulated users, has each start R runs, waits for every run to finish and every event to land,
 * then lets the users leave and asks the auditor for its verdict.
 */
export async function runLoad(runtime: Runtime, options: LoadOptions): Promise<LoadReport> {
  const started = performance.now()
  const report: LoadReport = {
    startup: runtime.startup,
    users: { requested: options.users, connected: 0, failed: [] },
    runs: { requested: 0, completed: 0, refused: 0, refusals: [] },
    events: { emitted: 0, expectedDeliveries: 0, delivered: 0 },
    perUser: [],
    violations: 0,
    runsWithMissingEvents: 0,
    runsOutOfOrder: 0,
    latencyMs: { p50: null, p99: null },
    managers: { created: 0, closed: 0 },
    poolCrash: null,
    timedOut: false,
    elapsedMs: 0
  }
  if (runtime.startup.state === 'failed') return finish(runtime, report, started)

  // Counts come from the bridge's tallies: a subscription to agent_event_emitted would decode every event the
  // bridge wrote as bytes back into an object.
  const sent = runtime.appState.agent_websocket_bridge?.sent ?? { events: 0, deliveries: 0 }
  const unsubscribe = runtime.bus.subscribeKinds(['run_completed'], () => {
    report.runs.completed += 1
  })
  const sink = runtime.auditor.recordDelivery.bind(runtime.auditor)
  const usePool = options.pool ?? (options.users >= 50 ? 'worker' : 'in-process')
  const onCrash = (error: Error): void => {
    report.poolCrash = error.message
    runtime.bus.emit({ kind: 'warning', code: 'user_worker_crashed', message: error.message })
  }
  const pool: UserPool =
    usePool === 'worker'
      ? new WorkerUserPool(runtime.auditor.recordJudged.bind(runtime.auditor), onCrash)
      : new InProcessUserPool(sink)
  try {
    const userIds = Array.from({ length: options.users }, () => runtime.ids.userId())
    const outcome = await pool.connect(userIds.map((userId) => ({ userId, url: runtime.userUrl(userId) })))
    report.users.connected = outcome.connected.length
    report.users.failed = outcome.failed
    report.runs.requested = outcome.connected.length * options.runs
    if (!options.signal?.aborted) pool.startRuns(options.runs)
    const deadline = performance.now() + (options.timeoutMs ?? 60_000)
    const settled = (): boolean =>
      report.runs.completed + pool.refusedRuns >= report.runs.requested &&
      runtime.auditor.delivered >= sent.deliveries
    while (!settled() && report.poolCrash === null) {
      if (options.signal?.aborted) break
      if (performance.now() > deadline) {
        report.timedOut = true
        break
      }
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    report.events.emitted = sent.events
    report.events.expectedDeliveries = sent.deliveries
    report.runs.refused = pool.refusedRuns
    report.runs.refusals = [...pool.refusals]
  } finally {
    unsubscribe()
    await pool.close()
  }
  return finish(runtime, report, started)
}

async function finish(runtime: Runtime, report: LoadReport, started: number): Promise<LoadReport> {
  // Closed sockets detach on the server's next turns; wait until every connection is gone (bounded).
  for (let tries = 0; tries < 200 && runtime.server.openSockets > 0; tries++)
    await new Promise((resolve) => setTimeout(resolve, 5))
  const auditor = runtime.auditor
  auditor.finalize()
  report.events.delivered = auditor.delivered
  report.violations = auditor.violations
  report.runsWithMissingEvents = auditor.runsWithMissingEvents
  report.runsOutOfOrder = auditor.runsOutOfOrder
  report.latencyMs = { p50: auditor.latency.percentile(50), p99: auditor.latency.percentile(99) }
  report.perUser = [...auditor.tallies()].map(([user_id, tally]) => ({ user_id, ...tally }))
  report.managers = { created: runtime.factory.stats.created, closed: runtime.factory.stats.closed }
  report.elapsedMs = performance.now() - started
  return report
}

/** The CLI's exit codes for a load, most serious first. Documented in the README. */
export const LOAD_EXIT = {
  clean: 0,
  violation: 1,
  badArguments: 2,
  missingEvents: 3,
  startupFailed: 4,
  incomplete: 5
} as const

export function loadExitCode(report: LoadReport): number {
  if (report.startup.state === 'failed') return LOAD_EXIT.startupFailed
  if (report.violations > 0) return LOAD_EXIT.violation
  if (report.runsWithMissingEvents > 0 || report.runsOutOfOrder > 0 || report.runs.refused > 0)
    return LOAD_EXIT.missingEvents
  if (report.timedOut || report.poolCrash !== null || report.users.failed.length > 0)
    return LOAD_EXIT.incomplete
  return LOAD_EXIT.clean
}
