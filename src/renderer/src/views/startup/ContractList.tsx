import { APP_STATE_CONTRACTS } from '../../../../shared/inspection'
import type { InspectorState } from '../../store'

/** Every app-state contract, checked or not yet, with its findings. */
export function ContractList({ state }: { state: InspectorState }): React.JSX.Element {
  return (
    <div className="card">
      <h3>Contracts</h3>
      {APP_STATE_CONTRACTS.map((name) => {
        const result = state.contracts[name]
        const status = result === undefined ? 'pending' : result.ok ? 'pass' : 'fail'
        return (
          <div
            key={name}
            className={`contract contract-${status}`}
            data-testid={`contract-${name}`}
            data-ok={result === undefined ? undefined : result.ok}
            data-status={status}
            data-phase={result?.phase ?? undefined}
          >
            <span className="contract-mark">
              {status === 'pending' ? '·' : status === 'pass' ? '✓' : '✗'}
            </span>
            <span className="mono">{name}</span>
            {result !== undefined && !result.enforced && <span className="badge">not enforced</span>}
            {result?.findings.map((finding) => (
              <div key={finding} className="finding">
                {finding}
              </div>
            ))}
          </div>
        )
      })}
    </div>
  )
}
