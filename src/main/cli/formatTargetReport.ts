import { LOAD_EXIT } from '../runtime/load/runLoad'
import type { LeakPair, TargetReport } from '../target/targetReport'

const SHOWN = 10

function describeLeak(leak: LeakPair): string {
  const parts = []
  if (leak.events > 0) parts.push(`${leak.events} event(s) owned by ${leak.from}`)
  if (leak.canaryFrames > 0) parts.push(`${leak.canaryFrames} frame(s) carrying ${leak.from}'s canary`)
  return parts.join(', ')
}

/** The human-readable target report: the verdict's evidence first-hand, each leak naming both users. */
export function formatTargetReport(report: TargetReport, exitCode: number): string[] {
  const ms = (value: number | null): string => (value === null ? 'n/a' : `${value.toFixed(2)} ms`)
  const more = (total: number): string[] =>
    total > SHOWN ? [`  ... ${total - SHOWN} more (use --json)`] : []
  const frames = report.frames
  const others = Object.entries(frames.otherTypes)
  const lines = [
    `target:             ${report.url}`,
    `users:              ${report.users.connected}/${report.users.requested} connected`,
    ...report.users.failed.slice(0, SHOWN).map((failure) => `  ${failure.user_id}: ${failure.error}`),
    ...more(report.users.failed.length),
    ...report.users.closedByServer
      .slice(0, SHOWN)
      .map((close) =>
        `  ${close.user_id}: closed by the server with ${close.code} ${close.reason}`.trimEnd()
      ),
    `runs:               ${report.runs.finished} finished of ${report.runs.requested}` +
      (report.runs.unseen > 0 ? `, ${report.runs.unseen} never showed an event` : ''),
    `frames received:    ${frames.received} (${frames.events} events judged, ${frames.ignored} ignored, ${frames.serverErrors} server errors)`,
    `frames unparsed:    ${frames.unparsed}`,
    `owner unreadable:   ${frames.ownerUnreadable}`,
    ...(others.length > 0
      ? [`other frame types:  ${others.map(([type, count]) => `${type} x${count}`).join(', ')} (not audited)`]
      : []),
    ...frames.problems.map(
      (entry) => `  ${entry.problem} (x${entry.count}, received by ${entry.users.slice(0, 5).join(', ')})`
    ),
    `violations:         ${report.violations} (by owner ids), canary leaks: ${report.canaryLeaks}`,
    ...report.leaks.slice(0, SHOWN).map((leak) => `  ${leak.from} -> ${leak.to}: ${describeLeak(leak)}`),
    ...more(report.leaks.length),
    `runs missing events: ${report.runsWithMissingEvents}, out of order: ${report.runsOutOfOrder}`,
    ...Object.entries(report.unseenRuns)
      .slice(0, SHOWN)
      .map(([userId, count]) => `  ${userId}: ${count} run(s) of which no event was ever seen`),
    ...report.runProblems
      .slice(0, SHOWN)
      .map(
        (run) =>
          `  ${run.user_id} ${run.run_id}: ${run.missing.length > 0 ? `missing ${run.missing.join(', ')}; ` : 'out of order: '}received ${run.received.join(', ') || 'nothing'}`
      ),
    ...more(report.runProblems.length),
    `delivery latency:   p50 ${ms(report.latencyMs.p50)}, p99 ${ms(report.latencyMs.p99)}`,
    `elapsed:            ${(report.elapsedMs / 1000).toFixed(2)} s${report.timedOut ? ' (run timeout: timeouts.runMs)' : ''}`,
    'per user (received / own / foreign / unreadable / canary leaks):',
    ...report.perUser
      .slice(0, 20)
      .map(
        (user) =>
          `  ${user.user_id}: ${user.received} / ${user.own} / ${user.foreign} / ${user.unreadable} / ${user.canaryLeaks}`
      )
  ]
  if (report.perUser.length > 20) lines.push(`  ... ${report.perUser.length - 20} more (use --json)`)
  lines.push(`verdict:            ${verdict(report, exitCode)}`, `exit code:          ${exitCode}`)
  return lines
}

function verdict(report: TargetReport, exitCode: number): string {
  if (exitCode === LOAD_EXIT.clean) return 'clean: every event reached its own user, complete and in order'
  if (exitCode === LOAD_EXIT.violation) {
    const users = new Set(report.leaks.flatMap((leak) => [leak.from, leak.to]))
    return `LEAK between ${[...users].slice(0, 6).join(', ')}${users.size > 6 ? ', ...' : ''}`
  }
  if (exitCode === LOAD_EXIT.missingEvents) return 'events missing or out of order'
  if (report.users.connected === 0) return 'incomplete: no user could connect (see the errors above)'
  return 'incomplete: some users, frames or runs could not be judged (see above)'
}
