import type { LeakPair, TargetReport } from '../target/targetReport'
import { groupFailures, targetVerdict } from '../target/targetVerdict'

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
    ...failureLines(report.users.failed),
    ...report.users.closedByServer
      .slice(0, SHOWN)
      .map((close) =>
        `  ${close.user_id}: closed by the server with ${close.code} ${close.reason}`.trimEnd()
      ),
    ...more(report.users.closedByServer.length),
    report.users.connected === 0
      ? `runs:               none started: no user connected (see the errors above)`
      : `runs:               ${report.runs.finished} finished of ${report.runs.requested}` +
        (report.runs.unseen > 0 ? `, ${report.runs.unseen} never showed an event` : '') +
        (report.stepFailures.runs > 0 ? `, ${report.stepFailures.runs} stopped at a failed step` : ''),
    ...stepFailureLines(report.stepFailures),
    `frames received:    ${frames.received} (${frames.events} events judged, ${frames.ignored} ignored, ${frames.serverErrors} server errors)`,
    `frames unparsed:    ${frames.unparsed}`,
    `owner unreadable:   ${frames.ownerUnreadable}`,
    ...(others.length > 0
      ? [`other frame types:  ${others.map(([type, count]) => `${type} x${count}`).join(', ')} (not audited)`]
      : []),
    ...frames.problems.map(
      (entry) => `  ${entry.problem} (x${entry.count}, received by ${entry.users.slice(0, 5).join(', ')})`
    ),
    `violations:         ${report.violations} (events owned by another user), canary leaks: ${report.canaryLeaks}`,
    ...report.leaks.slice(0, SHOWN).map((leak) => `  ${leak.from} → ${leak.to}: ${describeLeak(leak)}`),
    ...more(report.leaks.length),
    `runs missing events: ${report.runsWithMissingEvents}, out of order: ${report.runsOutOfOrder}`,
    ...Object.entries(report.unseenRuns)
      .slice(0, SHOWN)
      .map(([userId, count]) => `  ${userId}: ${count} run(s) of which no event was ever seen`),
    ...more(Object.keys(report.unseenRuns).length),
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
  lines.push(`verdict:            ${targetVerdict(report, exitCode)}`, `exit code:          ${exitCode}`)
  return lines
}

/** Each distinct step failure once, with the runs it stopped (user and run), like the connect errors. */
function stepFailureLines(failures: TargetReport['stepFailures']): string[] {
  const groups = groupFailures(
    failures.shown.map((failure) => ({
      user_id: `${failure.user_id} run ${failure.run}`,
      error: failure.error
    }))
  )
  const lines = groups.slice(0, SHOWN).map(({ error, users: runs }) => {
    const which =
      runs.length === 1
        ? runs[0]
        : `${runs.slice(0, 3).join(', ')}${runs.length > 3 ? ', ...' : ''} (${runs.length} runs)`
    return `  ${which}: ${error}`
  })
  const unshown = failures.runs - failures.shown.length
  if (groups.length > SHOWN || unshown > 0)
    lines.push(`  ... more runs stopped at a failed step (use --json)`)
  return lines
}

/** One line per distinct error, naming its users: a refusal every user got reads once, with the count. */
function failureLines(failed: TargetReport['users']['failed']): string[] {
  const groups = groupFailures(failed)
  const lines = groups.slice(0, SHOWN).map(({ error, users }) => {
    const who =
      users.length === 1
        ? users[0]
        : `${users.slice(0, 3).join(', ')}${users.length > 3 ? ', ...' : ''} (${users.length} users)`
    return `  ${who}: ${error}`
  })
  if (groups.length > SHOWN) lines.push(`  ... ${groups.length - SHOWN} more distinct error(s) (use --json)`)
  return lines
}
