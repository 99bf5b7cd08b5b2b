import { ringToArray, type InspectorState } from '../../store'
import { problemKind, type LeakPair, type TargetReport } from './targetResult'

/** How many excerpts of unusable frames to show; the counts are always whole. */
const EXCERPTS = 5

/** What went wrong, most serious first: leaks, runs with missing or out-of-order events, frames not judged. */
export function TargetFindings({
  report,
  final
}: {
  report: TargetReport
  final: InspectorState
}): React.JSX.Element {
  const canaries = ringToArray(final.canaryLeaks.recent)
  const unseen = Object.entries(report.unseenRuns)
  const otherTypes = Object.entries(report.frames.otherTypes)
  return (
    <>
      {report.leaks.length > 0 && (
        <div className="card card-danger" data-testid="target-leaks" data-count={report.leaks.length}>
          <h3>Leaks: owner → receiver</h3>
          {report.leaks.map((pair) => {
            const sample = canaries.find(
              (leak) => leak.canary_user_id === pair.from && leak.receiver_user_id === pair.to
            )
            return (
              <div
                key={`${pair.from}>${pair.to}`}
                className="target-row"
                data-testid="target-leak-pair"
                data-from={pair.from}
                data-to={pair.to}
                data-events={pair.events}
                data-canary-frames={pair.canaryFrames}
              >
                <span className="mono target-pair">
                  {pair.from} → {pair.to}
                </span>
                <span>{leakParts(pair).join(' · ')}</span>
                {sample !== undefined && <Excerpt text={sample.excerpt} />}
              </div>
            )
          })}
        </div>
      )}
      {(report.runProblems.length > 0 || unseen.length > 0) && (
        <div
          className="card card-warn-box"
          data-testid="target-run-problems"
          data-count={report.runProblems.length}
          data-missing={report.runsWithMissingEvents}
          data-out-of-order={report.runsOutOfOrder}
        >
          <h3>
            Runs: {report.runsWithMissingEvents} missing events · {report.runsOutOfOrder} out of order
          </h3>
          {report.runProblems.map((problem) => {
            const kind = problemKind(problem)
            return (
              <div
                key={`${problem.user_id}/${problem.run_id}`}
                className="target-row mono small"
                data-testid="target-run-problem"
                data-user={problem.user_id}
                data-run={problem.run_id}
                data-kind={kind}
                data-missing={problem.missing.join(' ')}
              >
                <span>
                  {problem.user_id} · {problem.run_id}
                </span>
                {kind === 'missing' ? (
                  <span className="text-warn">missing {problem.missing.join(', ')}</span>
                ) : (
                  <span className="text-warn">out of order</span>
                )}
                <span className="muted">received {problem.received.join(' → ') || 'nothing'}</span>
              </div>
            )
          })}
          {unseen.map(([user, count]) => (
            <div
              key={user}
              className="mono small"
              data-testid="target-unseen-runs"
              data-user={user}
              data-count={count}
            >
              {user}: {count} run(s) never seen at all
            </div>
          ))}
        </div>
      )}
      <UnusableFrames
        testId="target-unparsed"
        title="Frames not parsed"
        count={report.frames.unparsed}
        rows={ringToArray(final.unparsedFrames.recent).map((e) => ({ ...e, what: e.problem }))}
      />
      <UnusableFrames
        testId="target-unreadable"
        title="Owner unreadable"
        count={report.frames.ownerUnreadable}
        rows={ringToArray(final.unreadableOwners.recent).map((e) => ({
          ...e,
          what: `${e.type}: ${e.problem}`
        }))}
      />
      {(otherTypes.length > 0 || report.frames.serverErrors > 0) && (
        <div
          className="card small"
          data-testid="target-other-frames"
          data-server-errors={report.frames.serverErrors}
        >
          <h3>Other frames</h3>
          {report.frames.serverErrors > 0 && (
            <div className="text-warn">{report.frames.serverErrors} server error(s)</div>
          )}
          {otherTypes.map(([type, count]) => (
            <div key={type} className="mono">
              {type} × {count} <span className="muted">(neither expected nor ignored)</span>
            </div>
          ))}
        </div>
      )}
    </>
  )
}

/** What of the owner reached the receiver, naming only what did: a singleton's leaks show by canary alone. */
function leakParts(pair: LeakPair): string[] {
  const parts: string[] = []
  if (pair.events > 0) parts.push(`${pair.events} event(s) owned by ${pair.from}`)
  if (pair.canaryFrames > 0) parts.push(`${pair.canaryFrames} frame(s) carrying ${pair.from}'s canary`)
  return parts
}

interface UnusableRow {
  seq: number
  receiver_user_id: string
  what: string
  excerpt: string
}

function UnusableFrames(props: {
  testId: string
  title: string
  count: number
  rows: UnusableRow[]
}): React.JSX.Element | null {
  if (props.count === 0) return null
  return (
    <div className="card card-warn-box" data-testid={props.testId} data-count={props.count}>
      <h3>
        {props.title}: {props.count}
      </h3>
      {props.rows.slice(0, EXCERPTS).map((row) => (
        <div
          key={row.seq}
          className="target-row small"
          data-testid={`${props.testId}-frame`}
          data-user={row.receiver_user_id}
        >
          <span className="mono">{row.receiver_user_id}</span>
          <span className="text-warn">{row.what}</span>
          <Excerpt text={row.excerpt} />
        </div>
      ))}
      {props.count > EXCERPTS && <div className="muted small">…and {props.count - EXCERPTS} more</div>}
    </div>
  )
}

function Excerpt({ text }: { text: string }): React.JSX.Element {
  return (
    <pre className="target-excerpt" data-testid="target-excerpt">
      {text}
    </pre>
  )
}
