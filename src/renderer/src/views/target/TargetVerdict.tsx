import { exitMeaning, groupFailures, type RunTargetResult } from './targetResult'

const CLOSES_SHOWN = 10

/** The verdict as the CLI would exit with it, and the few numbers that say how the run went. */
export function TargetVerdict({
  result,
  onOpen,
  onDownload
}: {
  result: RunTargetResult
  onOpen: () => void
  onDownload: () => void
}): React.JSX.Element {
  const { report, exitCode } = result
  const { verdict, title, meaning } = exitMeaning(exitCode)
  const { p50, p99 } = report.latencyMs
  return (
    <div className={`card target-verdict target-verdict-${verdict}`}>
      <div className="target-verdict-head">
        <div
          className="target-verdict-title"
          data-testid="target-verdict"
          data-exit-code={exitCode}
          data-verdict={verdict}
        >
          <span className="target-exit">exit {exitCode}</span>
          {title}
        </div>
        <div className="controls">
          <button type="button" className="primary" data-testid="target-open-in-views" onClick={onOpen}>
            Open in views
          </button>
          <button type="button" data-testid="target-download" onClick={onDownload}>
            Save NDJSON
          </button>
        </div>
      </div>
      <div className="muted" data-testid="target-exit-meaning">
        {meaning}
      </div>
      <div className="mono small" data-testid="target-verdict-line">
        {report.verdict}
      </div>
      <div className="target-facts" data-testid="target-summary">
        <Fact label="backend" value={report.url} mono />
        <Fact label="users" value={`${report.users.connected}/${report.users.requested} connected`} />
        <Fact
          label="runs"
          value={`${report.runs.finished}/${report.runs.requested} finished${report.runs.unseen > 0 ? `, ${report.runs.unseen} never seen` : ''}`}
        />
        <Fact label="frames" value={`${report.frames.received} received, ${report.frames.events} judged`} />
        <Fact label="violations" value={String(report.violations)} bad={report.violations > 0} />
        <Fact label="canary leaks" value={String(report.canaryLeaks)} bad={report.canaryLeaks > 0} />
        <span data-testid="target-latency" data-p50={p50 ?? ''} data-p99={p99 ?? ''}>
          <Fact label="latency" value={`p50 ${formatMs(p50)} · p99 ${formatMs(p99)}`} />
        </span>
        <Fact
          label="elapsed"
          value={`${(report.elapsedMs / 1000).toFixed(2)} s${report.timedOut ? ' (timed out)' : ''}`}
          bad={report.timedOut}
        />
      </div>
      {groupFailures(report.users.failed).map(({ error, users }) => (
        <div
          key={error}
          className="error-text"
          data-testid="target-user-failed"
          data-user={users[0]}
          data-users={users.join(' ')}
          data-count={users.length}
        >
          {users.length === 1
            ? users[0]
            : `${users.slice(0, 3).join(', ')}${users.length > 3 ? ', …' : ''} (${users.length} users)`}
          : {error}
        </div>
      ))}
      {report.users.closedByServer.slice(0, CLOSES_SHOWN).map((closed) => (
        <div
          key={closed.user_id}
          className="text-warn small"
          data-testid="target-user-closed"
          data-user={closed.user_id}
        >
          {closed.user_id} closed by the server: {closed.code} {closed.reason}
        </div>
      ))}
      {report.users.closedByServer.length > CLOSES_SHOWN && (
        <div className="muted small" data-testid="target-user-closed-more">
          … {report.users.closedByServer.length - CLOSES_SHOWN} more closed by the server
        </div>
      )}
    </div>
  )
}

function Fact(props: { label: string; value: string; mono?: boolean; bad?: boolean }): React.JSX.Element {
  const classes = [props.mono === true ? 'mono' : '', props.bad === true ? 'text-danger' : '']
  return (
    <span className="target-fact">
      <span className="muted">{props.label}</span> <b className={classes.join(' ').trim()}>{props.value}</b>
    </span>
  )
}

export function formatMs(ms: number | null): string {
  return ms === null ? '—' : `${ms < 10 ? ms.toFixed(1) : ms.toFixed(0)} ms`
}
