import type { ScenarioRunMode, ScenarioSummary } from '../../../../shared/scenarioResult'

const MODES: readonly ScenarioRunMode[] = ['failure', 'fixed', 'both']

export function ScenarioCard({
  scenario,
  selected,
  disabled,
  onRun,
  onReport
}: {
  scenario: ScenarioSummary
  selected: boolean
  disabled: boolean
  onRun: (mode: ScenarioRunMode) => void
  onReport: () => void
}): React.JSX.Element {
  return (
    <div
      className={selected ? 'card scenario-card selected' : 'card scenario-card'}
      data-testid={`scenario-${scenario.id}`}
      data-selected={selected}
    >
      <div className="scenario-card-title">{scenario.title}</div>
      <div className="muted mono small">
        {scenario.id} · {scenario.source.report}
      </div>
      <p className="small scenario-summary">{scenario.summary}</p>
      <div className="controls">
        {MODES.map((mode) => (
          <button
            key={mode}
            type="button"
            className={mode === 'both' ? 'primary' : ''}
            data-testid={`scenario-run-${scenario.id}-${mode}`}
            disabled={disabled}
            onClick={() => onRun(mode)}
          >
            {mode === 'both' ? 'Failure + fix' : mode === 'failure' ? 'Failure' : 'Fixed'}
          </button>
        ))}
        <button
          type="button"
          data-testid={`scenario-report-${scenario.id}`}
          disabled={disabled}
          onClick={onReport}
          title="Runs both and downloads the markdown report"
        >
          Export report
        </button>
      </div>
    </div>
  )
}
