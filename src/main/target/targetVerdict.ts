import { LOAD_EXIT } from '../runtime/load/runLoad'
import type { TargetReport } from './targetReport'

const NAMED_USERS = 6

/**
 * The verdict in one line, the same in the CLI and the app: what the exit code means for this run, with the
 * counts behind it, and, whatever the code, whether the server went away while the runs were going on.
 */
export function targetVerdict(report: TargetReport, exitCode: number): string {
  const gone = serverWentAway(report)
  return gone === null ? verdictOf(report, exitCode) : `${verdictOf(report, exitCode)}; ${gone}`
}

function verdictOf(report: TargetReport, exitCode: number): string {
  if (exitCode === LOAD_EXIT.clean) return 'clean: every event reached its own user, complete and in order'
  if (exitCode === LOAD_EXIT.violation) {
    const users = [...new Set(report.leaks.flatMap((leak) => [leak.from, leak.to]))]
    const named = users.slice(0, NAMED_USERS).join(', ') + (users.length > NAMED_USERS ? ', ...' : '')
    return `LEAK between ${named}: ${report.violations} event(s) owned by another user, ${report.canaryLeaks} frame(s) by canary`
  }
  if (exitCode === LOAD_EXIT.missingEvents) {
    const parts = [`${report.runsWithMissingEvents} run(s) missing events`]
    if (report.runsOutOfOrder > 0) parts.push(`${report.runsOutOfOrder} out of order`)
    if (report.runs.unseen > 0) parts.push(`${report.runs.unseen} never showed an event`)
    return `events missing or out of order: ${parts.join(', ')}`
  }
  if (report.users.connected === 0) return `incomplete: ${nobodyConnected(report)}`
  const reasons: string[] = []
  if (report.users.failed.length > 0) reasons.push(`${report.users.failed.length} user(s) could not connect`)
  if (report.stepFailures.runs > 0)
    reasons.push(
      `${report.stepFailures.runs} run(s) stopped at a failed step (${report.stepFailures.shown[0]?.error})`
    )
  if (report.frames.ownerUnreadable > 0)
    reasons.push(
      `${report.frames.ownerUnreadable} event(s) with an unreadable owner, so ${report.runs.unseen > 0 ? `${report.runs.unseen} run(s)` : 'their runs'} could not be judged`
    )
  if (report.frames.unparsed > 0) reasons.push(`${report.frames.unparsed} frame(s) not parsed`)
  if (report.timedOut) reasons.push('the run timeout passed (timeouts.runMs)')
  return `incomplete: ${reasons.length > 0 ? reasons.join(', ') : 'see above'}`
}

/** No user connected: say so, and why, with the commonest error. */
function nobodyConnected(report: TargetReport): string {
  const failures = groupFailures(report.users.failed)
  const first = failures[0]
  if (first === undefined) return 'no user connected'
  const others = failures.length > 1 ? ` (and ${failures.length - 1} other error(s), see above)` : ''
  return `no user connected: ${first.users.length === report.users.requested ? 'every user' : `${first.users.length} user(s)`} got "${first.error}"${others}`
}

/** The server closed every connection, or refused new ones while others were open: it went away mid-run. */
function serverWentAway(report: TargetReport): string | null {
  const closed = report.users.closedByServer
  const connected = report.users.connected
  if (connected > 0 && new Set(closed.map((close) => close.user_id)).size >= connected) {
    const codes = [...new Set(closed.map((close) => close.code))].join(', ')
    return `the server went away: it closed all ${connected} connection(s) during the runs (code ${codes})`
  }
  const refused = report.users.failed.filter((failure) => failure.error.includes('ECONNREFUSED')).length
  if (connected > 0 && refused > 0)
    return `the server went away: ${refused} connection(s) refused while ${connected} other(s) were connected`
  return null
}

export interface FailureGroup {
  error: string
  users: string[]
}

/** The same error for many users is one line with the users, not one line per user; commonest first. */
export function groupFailures(failed: ReadonlyArray<{ user_id: string; error: string }>): FailureGroup[] {
  const groups = new Map<string, string[]>()
  for (const failure of failed) {
    const users = groups.get(failure.error)
    if (users) users.push(failure.user_id)
    else groups.set(failure.error, [failure.user_id])
  }
  return [...groups]
    .map(([error, users]) => ({ error, users }))
    .sort((a, b) => b.users.length - a.users.length)
}
