import { ringToArray, type InspectorState } from '../../store'

export function PhaseHistory({ state }: { state: InspectorState }): React.JSX.Element {
  const steps = ringToArray(state.phase.history)
  return (
    <div className="card">
      <h3>Transitions</h3>
      <ol className="history" data-testid="phase-history" data-length={steps.length}>
        {steps.map((step) => (
          <li key={step.seq} className={step.to === 'failed' ? 'text-danger' : ''}>
            <span className="muted mono">#{step.seq}</span> {step.from ?? '∅'} → {step.to}
          </li>
        ))}
      </ol>
    </div>
  )
}
