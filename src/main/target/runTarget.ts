import { setTimeout as delay } from 'node:timers/promises'
import type { InspectionEventOf } from '../../shared/inspection'
import type { LoadShape, TargetFile } from '../../shared/targetFile'
import type { Receiver } from '../runtime/audit/isolationAuditor'
import { InspectionBus } from '../runtime/inspection/inspectionBus'
import { arrivalOffsetMs, ConcurrencyLimit, isSpread, RunEndWaiters } from './loadShape'
import type { PreparedUser } from './prepareTarget'
import { emptyTargetReport, type TargetReport } from './targetReport'
import { TargetSession } from './targetSession'
import { NOT_SENT_CLOSED, TargetUser } from './targetUser'

/**
 * A target run's own bus keeps a small history: nothing reads it back (a recorder attaches before the first event,
 * and the app's Target tab collects the run's lines whole, see collectLines).
 */
export const TARGET_RUN_HISTORY = { historyLimit: 1_000, historyBytes: 256 * 1024 } as const

export interface TargetRunOptions {
  runs: number
  /** The stream the run is recorded on. Default: a fresh bus. */
  bus?: InspectionBus
  /** Shown in the report and in target_started instead of the file's url (e.g. the --url override). */
  url?: string
  /** How users arrive and pace their runs. Default: the file's load. */
  load?: LoadShape
  /**
   * The users this process connects (a shard's slice). Default: all. Every user is still known to the audit, so
   * a frame carrying the canary or ids of a user connected elsewhere is judged a leak.
   */
  active?: PreparedUser[]
  /** Put on target_started when this run is one shard of a larger one (merge checks it). */
  shard?: TargetShardInfo
  /** Stops the run when aborted: no more arrivals or runs, every connection closed (the caller discards the report). */
  signal?: AbortSignal
}

export type TargetShardInfo = NonNullable<InspectionEventOf<'target_started'>['shard']>

/** Step failures kept in the report with their text; the rest are counted. */
const SHOWN_STEP_FAILURES = 100

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Target mode: the prepared users connect to the developer's backend, each starts `runs` runs, and every frame
 * they receive is judged (TargetSession) until the runs end, the run timeout passes, and the stream goes quiet.
 */
export async function runTarget(
  file: TargetFile,
  users: PreparedUser[],
  options: TargetRunOptions
): Promise<TargetReport> {
  const started = performance.now()
  const bus = options.bus ?? new InspectionBus(TARGET_RUN_HISTORY)
  const load = options.load ?? file.load
  const active = options.active ?? users
  const report = emptyTargetReport(options.url ?? file.url, active.length, options.runs)
  const connected = new Map<string, TargetUser>()
  const session = new TargetSession(
    file,
    users,
    bus,
    report,
    (userId, k) => connected.get(userId)?.sentAt[k],
    active === users ? null : new Set(active.map((user) => user.userId))
  )
  session.noteRuns(options.runs)
  const runEnds = new RunEndWaiters(
    (userId) => session.finishedRuns(userId) + (connected.get(userId)?.abandonedRuns ?? 0)
  )
  const handlers = {
    onFrame: (user: TargetUser, connection: number, text: string, receivedAt: number) => {
      session.onFrame(user.receivers[connection] as Receiver, text, receivedAt)
      runEnds.check(user.userId)
    },
    // A value an acknowledgement or reply captured may be the request id the backend's answers carry.
    onCaptured: (user: TargetUser, run: number, captured: Readonly<Record<string, string>>) =>
      session.noteRequest(user.spec, run, captured),
    onStepFailed: (user: TargetUser, run: number, error: string) => {
      report.stepFailures.runs += 1
      if (report.stepFailures.shown.length < SHOWN_STEP_FAILURES)
        report.stepFailures.shown.push({ user_id: user.userId, run, error })
      bus.emit({
        kind: 'warning',
        code: 'target_step_failed',
        message: `${user.userId}: run ${run}: ${error}`
      })
    },
    onClose: (user: TargetUser, connection: number, code: number, reason: string, byUs: boolean) => {
      runEnds.check(user.userId, true)
      if (!byUs) report.users.closedByServer.push({ user_id: user.userId, code, reason })
      bus.emit({
        kind: 'user_disconnected',
        connection_id: (user.receivers[connection] as Receiver).connection_id,
        user_id: user.userId,
        code,
        reason
      })
    }
  }
  bus.emit({
    kind: 'target_started',
    url: report.url,
    users: active.length,
    runs: options.runs,
    expected: session.expected,
    type_names: file.events.types,
    ...(options.shard ? { shard: options.shard } : {})
  })
  const connectOptions = {
    timeoutMs: file.timeouts.connectMs,
    ackMs: file.timeouts.ackMs,
    isReadyFrame: file.ready ? (text: string) => session.isReadyFrame(text) : null,
    isErrorFrame: file.events.errorType ? (text: string) => session.isErrorFrame(text) : null
  }
  const spread = isSpread(load)
  const startRuns = (user: TargetUser): void => {
    if (load.thinkTimeMs === undefined) for (let run = 1; run <= options.runs; run++) void user.startRun(run)
    else void runPaced(user, options.runs, load.thinkTimeMs, runEnds)
  }
  const limit = new ConcurrencyLimit(load.connectConcurrency)
  const arrival = performance.now()
  const connectOne = async (spec: PreparedUser, k: number): Promise<TargetUser> => {
    const due = arrival + arrivalOffsetMs(k, active.length, load) - performance.now()
    // A cancelled run stops its arrivals at once: the delay rejects with the abort, and this user never connects.
    if (due > 0) await delay(due, undefined, options.signal ? { signal: options.signal } : {})
    options.signal?.throwIfAborted()
    const user = await limit.run(() => TargetUser.connect(spec, connectOptions, handlers))
    noteConnected(user)
    // Users that arrive over time start their runs as they connect; else all start once everyone is in.
    if (spread) startRuns(user)
    return user
  }
  const noteConnected = (user: TargetUser): void => {
    connected.set(user.userId, user)
    for (const receiver of user.receivers)
      bus.emit({
        kind: 'user_connected',
        connection_id: receiver.connection_id,
        context: {
          user_id: user.userId,
          thread_id: '(target)',
          run_id: '(target)',
          request_id: '(target)'
        },
        manager_id: '(target)'
      })
  }
  try {
    const outcomes = await Promise.allSettled(active.map((spec, k) => connectOne(spec, k)))
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled') return
      const spec = active[index] as PreparedUser
      const error = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)
      report.users.failed.push({ user_id: spec.userId, error })
      bus.emit({ kind: 'warning', code: 'target_connect_failed', message: `${spec.userId}: ${error}` })
    })
    report.users.connected = connected.size
    report.runs.requested = connected.size * options.runs
    if (connected.size > 0 && !options.signal?.aborted) {
      // Runs go out at once; each run's own steps wait for one another (replies, acknowledgements).
      if (!spread && load.thinkTimeMs === undefined)
        for (let run = 1; run <= options.runs; run++)
          for (const user of connected.values()) void user.startRun(run)
      else if (!spread) for (const user of connected.values()) startRuns(user)
      report.timedOut = await waitForRuns(
        file,
        options.runs,
        [...connected.values()],
        session,
        options.signal
      )
      // Runs still due when the wait ended (think time) were never sent: incomplete, not runs the backend lost.
      for (const user of connected.values())
        for (let run = user.runsBegun + 1; run <= options.runs; run++)
          user.abandon(
            run,
            user.isOpen ? 'not sent: the run timeout (timeouts.runMs) passed first' : NOT_SENT_CLOSED
          )
    }
  } finally {
    runEnds.stop()
    await Promise.all([...connected.values()].map((user) => user.close()))
  }
  // A run stopped at a failed step was never started as written: it is counted there, not as a run never seen.
  session.finish(
    [...connected.values()].map((user) => ({ userId: user.userId, runs: options.runs - user.abandonedRuns }))
  )
  report.elapsedMs = performance.now() - started
  return report
}

/**
 * Waits until every open user has seen its runs end (or the run timeout), then until the stream has been quiet
 * for settleMs, so a leak that trails the last run is still caught. True when the run timeout was hit.
 */
async function waitForRuns(
  file: TargetFile,
  runs: number,
  users: TargetUser[],
  session: TargetSession,
  signal: AbortSignal | undefined
): Promise<boolean> {
  const deadline = performance.now() + file.timeouts.runMs
  const over = (): boolean => performance.now() > deadline || signal?.aborted === true
  // A run whose steps failed (no acknowledgement, an HTTP error) has nothing to wait for.
  // A user done stays done, so each pass looks only at those still going (thousands of users, every 5 ms),
  // kept at the front of one array rather than copied per pass.
  const going = [...users]
  let stillGoing = going.length
  const pass = (): number => {
    let kept = 0
    for (let index = 0; index < stillGoing; index++) {
      const user = going[index] as TargetUser
      if (user.isOpen && session.finishedRuns(user.userId) + user.abandonedRuns < runs) going[kept++] = user
    }
    return (stillGoing = kept)
  }
  while (pass() > 0) {
    if (over()) return !signal?.aborted
    // A pass over 10,000 users takes about a millisecond: look less often while many are still going.
    await sleep(Math.min(50, 5 + stillGoing / 200))
  }
  while (performance.now() - session.lastFrameAt < file.timeouts.settleMs && !over()) await sleep(5)
  return false
}

/**
 * Think time: a user's runs one at a time, each started `thinkMs` after the user saw the one before end (its last
 * expected event, or a failed step). Stops when the user's connection is gone or the run timeout stops everything.
 */
async function runPaced(
  user: TargetUser,
  runs: number,
  thinkMs: number,
  runEnds: RunEndWaiters
): Promise<void> {
  for (let run = 1; run <= runs; run++) {
    // A run due after the server closed the connection still goes to startRun, which reports it as not sent.
    if (runEnds.stopped) return
    await user.startRun(run)
    runEnds.check(user.userId)
    await runEnds.until(user.userId, run)
    if (run < runs && thinkMs > 0) await sleep(thinkMs)
  }
}
