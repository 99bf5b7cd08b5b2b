import { describe, expect, it } from 'vitest'
import { emptyTargetReport, targetExitCode, type TargetReport } from '../../src/main/target/targetReport'
import { targetVerdict } from '../../src/main/target/targetVerdict'

/** A clean run of two users, one run each, changed by `change`. */
function report(change: (report: TargetReport) => void = () => {}): TargetReport {
  const base = emptyTargetReport('ws://h/ws', 2, 1)
  base.users.connected = 2
  base.runs.finished = 2
  base.frames.received = 10
  base.frames.events = 10
  base.latencyMs = { p50: 1, p99: 2 }
  base.elapsedMs = 10
  change(base)
  return base
}
const verdictOf = (r: TargetReport): string => targetVerdict(r, targetExitCode(r))

describe('the verdict line and the exit code', () => {
  it('calls unseen runs missing (3) only when every owner could be read; else incomplete (5), saying why', () => {
    const unseen = report((r) => {
      r.runs.unseen = 2
      r.runsWithMissingEvents = 2
    })
    expect(targetExitCode(unseen)).toBe(3)
    expect(verdictOf(unseen)).toBe(
      'events missing or out of order: 2 run(s) missing events, 2 never showed an event'
    )
    unseen.frames.ownerUnreadable = 10
    expect(targetExitCode(unseen)).toBe(5)
    expect(verdictOf(unseen)).toBe(
      'incomplete: 10 event(s) with an unreadable owner, so 2 run(s) could not be judged'
    )
    // A seen run missing an event is evidence whatever else could not be read.
    unseen.runProblems.push({ user_id: 'u1', run_id: 'r1', received: ['a'], missing: ['b'] })
    expect(targetExitCode(unseen)).toBe(3)
  })

  it('says nobody connected, and the commonest reason', () => {
    const nobody = report((r) => {
      r.users.connected = 0
      r.users.failed = [
        { user_id: 'u1', error: 'handshake refused with HTTP 401: no' },
        { user_id: 'u2', error: 'handshake refused with HTTP 401: no' }
      ]
    })
    expect(verdictOf(nobody)).toBe(
      'incomplete: no user connected: every user got "handshake refused with HTTP 401: no"'
    )
  })

  it('says the server went away: every connection closed by it, or connections refused while others were open', () => {
    const closed = report((r) => {
      r.users.closedByServer = [
        { user_id: 'u1', code: 1006, reason: '' },
        { user_id: 'u2', code: 1006, reason: '' }
      ]
      r.runs.unseen = 1
      r.runsWithMissingEvents = 1
    })
    expect(verdictOf(closed)).toMatch(
      /; the server went away: it closed all 2 connection\(s\) during the runs \(code 1006\)$/
    )
    const refused = report((r) => {
      r.users.connected = 1
      r.users.failed = [{ user_id: 'u2', error: 'cannot reach ws://h/ws: connect ECONNREFUSED 127.0.0.1:1' }]
    })
    expect(verdictOf(refused)).toBe(
      'incomplete: 1 user(s) could not connect; the server went away: 1 connection(s) refused while 1 other(s) were connected'
    )
    expect(verdictOf(report())).toBe('clean: every event reached its own user, complete and in order')
  })
})
