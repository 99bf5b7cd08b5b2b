import type { RunOutcome } from '../../../../shared/scenarioResult'
import type { Timeline } from '../../store'
import { ImportChain } from '../startup/FailurePanel'
import { failureOf } from './scenarioResults'
import { TracePanel } from './TracePanel'

/** One run of a scenario: what it showed (its failure, or that it passes), its expectations, and its trace. */
export function RunOutcomePanel({
  run,
  timeline,
  cursor,
  whysBySeq,
  onSeek,
  onOpenInViews
}: {
  run: RunOutcome
  timeline: Timeline
  cursor: number
  whysBySeq: ReadonlyMap<number, number[]>
  onSeek: (cursor: number) => void
  onOpenInViews: () => void
}): React.JSX.Element {
  const failure = failureOf(run)
  const held = run.expectations.filter((result) => result.held).length
  const seek = (seq: number): void => {
    const at = timeline.cursorOfSeq(seq)
    if (at !== null) onSeek(at)
  }
  return (
    <section
      className={`outcome outcome-${run.mode}`}
      data-testid={`scenario-outcome-${run.run}`}
      data-run={run.run}
      data-mode={run.mode}
      data-held={run.held}
      data-startup={run.startup.state}
      data-failed-phase={run.startup.failedPhase ?? ''}
    >
      <header className="outcome-head">
        <span className="mono outcome-name">{run.run}</span>
        <span className={run.mode === 'fixed' ? 'badge badge-ok' : 'badge badge-danger'}>{run.mode}</span>
        <span
          className={run.held ? 'badge badge-ok' : 'badge badge-warn'}
          title="whether this run showed everything the scenario says it shows"
        >
          {run.held ? 'as described' : 'not as described'}
        </span>
        <button type="button" data-testid={`outcome-open-${run.run}`} onClick={onOpenInViews}>
          Open in views
        </button>
      </header>
      <div className="outcome-title small">{run.title}</div>
      {failure === null ? (
        <div className="outcome-pass" data-testid={`outcome-pass-${run.run}`}>
          ✓ start-up {run.startup.state} · {run.runs.completed}/{run.runs.started} runs ·{' '}
          {run.tally.delivered} delivered · {run.tally.leaks} leaks
        </div>
      ) : (
        <div
          className="card card-danger outcome-error"
          data-testid={`outcome-error-${run.run}`}
          data-source={failure.source}
          data-phase={failure.phase}
        >
          <h3>
            {failure.source === 'startup' ? `Start-up failed in ${failure.phase}` : 'Failed at run time'}
          </h3>
          <pre className="error-text">{failure.message}</pre>
          {failure.site !== null && <div className="muted">at {failure.site}</div>}
          {failure.chain.length > 0 && (
            <ImportChain chain={failure.chain} testId={`outcome-chain-${run.run}`} />
          )}
        </div>
      )}
      <div
        className="mono small muted"
        data-testid={`outcome-tally-${run.run}`}
        data-emitted={run.tally.emitted}
        data-delivered={run.tally.delivered}
        data-leaks={run.tally.leaks}
      >
        emitted {run.tally.emitted} · delivered {run.tally.delivered} · leaks {run.tally.leaks} · managers{' '}
        {run.tally.managersCreated}/{run.tally.managersClosed} · tests blocked{' '}
        {run.modules.testsBlocked.length}
      </div>
      <details className="outcome-expectations" data-testid={`outcome-expectations-${run.run}`}>
        <summary>
          expectations {held}/{run.expectations.length} held
        </summary>
        {run.expectations.map((result, i) => (
          <div
            key={i}
            className={result.held ? 'expectation' : 'expectation text-danger'}
            data-testid="outcome-expectation"
            data-held={result.held}
          >
            {result.held ? '✓' : '✗'} {result.label}
            <div className="muted small">found {result.found}</div>
            {result.evidence.slice(0, 6).map((seq) => (
              <button key={seq} type="button" className="link mono" onClick={() => seek(seq)}>
                #{seq}
              </button>
            ))}
          </div>
        ))}
      </details>
      <TracePanel run={run.run} timeline={timeline} cursor={cursor} whysBySeq={whysBySeq} onSeek={onSeek} />
    </section>
  )
}
