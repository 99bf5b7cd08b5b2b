import type { WhyBinding } from '../../../../shared/scenarioResult'

/** The five whys beside the traces; each jumps its run's cursor to the step that proves it. */
export function WhysPanel({
  whys,
  active,
  onJump
}: {
  whys: readonly WhyBinding[]
  active: number | null
  onJump: (why: WhyBinding) => void
}): React.JSX.Element {
  return (
    <aside className="whys" data-testid="scenario-whys" data-count={whys.length}>
      <h3>Five whys</h3>
      <ol className="why-list">
        {whys.map((why) => (
          <li key={why.index}>
            <button
              type="button"
              className={why.index === active ? 'why active' : 'why'}
              data-testid={`why-${why.index}`}
              data-run={why.run}
              data-seq={why.seq ?? ''}
              data-bound={why.seq !== null}
              data-active={why.index === active}
              disabled={why.seq === null}
              title={
                why.seq === null ? (why.problem ?? 'its run was not made') : 'Show the step that proves it'
              }
              onClick={() => onJump(why)}
            >
              <span className="why-question">
                {why.index}. {why.question}
              </span>
              <span className="why-answer">{why.answer}</span>
              <span className="why-evidence mono">
                {why.seq === null
                  ? (why.problem ?? `run ${why.run} not made`)
                  : `evidence: ${why.run} #${why.seq}`}
              </span>
            </button>
          </li>
        ))}
      </ol>
    </aside>
  )
}
