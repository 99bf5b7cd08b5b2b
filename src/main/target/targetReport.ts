import { LOAD_EXIT } from '../runtime/load/runLoad'

/** One direction of a leak: what of `from` reached `to`, by the events' ids and by `from`'s canary. */
export interface LeakPair {
  from: string
  to: string
  /** Events whose owner ids name `from`. */
  events: number
  /** Frames carrying `from`'s canary marker. */
  canaryFrames: number
}

export interface TargetReport {
  url: string
  users: {
    requested: number
    connected: number
    failed: Array<{ user_id: string; error: string }>
    /** Connections the server closed while the runs were going on. */
    closedByServer: Array<{ user_id: string; code: number; reason: string }>
  }
  runs: { requested: number; finished: number; unseen: number }
  /** Runs whose steps stopped at a failed step (an HTTP error, no acknowledgement): never started as written. */
  stepFailures: {
    runs: number
    /** The first few, each with its user, run (1-based) and what failed. */
    shown: Array<{ user_id: string; run: number; error: string }>
  }
  frames: {
    received: number
    /** Judged by owner: their type names an expected role and their owner ids were read. */
    events: number
    unparsed: number
    ownerUnreadable: number
    ignored: number
    serverErrors: number
    /** Frames whose type is neither expected nor ignored, by type. */
    otherTypes: Record<string, number>
    /** Why frames could not be used (the first few distinct reasons), how often, and who received them. */
    problems: Array<{ problem: string; count: number; users: string[] }>
  }
  perUser: Array<{
    user_id: string
    received: number
    own: number
    foreign: number
    unreadable: number
    canaryLeaks: number
  }>
  violations: number
  canaryLeaks: number
  leaks: LeakPair[]
  runsWithMissingEvents: number
  runsOutOfOrder: number
  /** Runs with missing or out-of-order events, in the backend's own type names. */
  runProblems: Array<{ user_id: string; run_id: string; received: string[]; missing: string[] }>
  /** Runs a user started that never showed a single event, by user (also counted as missing above). */
  unseenRuns: Record<string, number>
  latencyMs: { p50: number | null; p99: number | null }
  timedOut: boolean
  elapsedMs: number
  /** The verdict in one line, as the CLI prints it (targetVerdict). */
  verdict: string
}

/**
 * Exit codes as for load, most serious first: a leak (by ids or by canary) 1; missing or out-of-order events 3;
 * incomplete 5 (users that could not connect, runs whose steps failed, the run timeout, frames that could not be
 * judged).
 *
 * One exception to that order: a run of which no event was seen is evidence of missing events only when every
 * frame could be read. When some events' owners were unreadable, those are likely the unseen runs' events, so the
 * verdict is 5 (owner unreadable), not 3; a seen run with missing or out-of-order events is still 3.
 */
export function targetExitCode(report: TargetReport): number {
  if (report.violations > 0 || report.canaryLeaks > 0) return LOAD_EXIT.violation
  if (report.runProblems.length > 0 || (report.runs.unseen > 0 && report.frames.ownerUnreadable === 0))
    return LOAD_EXIT.missingEvents
  if (
    report.users.connected === 0 ||
    report.users.failed.length > 0 ||
    report.stepFailures.runs > 0 ||
    report.timedOut ||
    report.frames.unparsed > 0 ||
    report.frames.ownerUnreadable > 0
  )
    return LOAD_EXIT.incomplete
  return LOAD_EXIT.clean
}

/** The report of a run before anything happened: what runTarget fills in as the run goes. */
export function emptyTargetReport(url: string, users: number, runs: number): TargetReport {
  return {
    url,
    users: { requested: users, connected: 0, failed: [], closedByServer: [] },
    runs: { requested: users * runs, finished: 0, unseen: 0 },
    stepFailures: { runs: 0, shown: [] },
    frames: {
      received: 0,
      events: 0,
      unparsed: 0,
      ownerUnreadable: 0,
      ignored: 0,
      serverErrors: 0,
      otherTypes: {},
      problems: []
    },
    perUser: [],
    violations: 0,
    canaryLeaks: 0,
    leaks: [],
    runsWithMissingEvents: 0,
    runsOutOfOrder: 0,
    runProblems: [],
    unseenRuns: {},
    latencyMs: { p50: null, p99: null },
    timedOut: false,
    elapsedMs: 0,
    verdict: ''
  }
}
