import type { InspectorState } from '../../store'
import { ImportChain } from './FailurePanel'

export function ModuleList({ state }: { state: InspectorState }): React.JSX.Element | null {
  const modules = Object.values(state.modules).sort((a, b) => a.seq - b.seq)
  if (modules.length === 0) return null
  return (
    <div className="card">
      <h3>Modules ({modules.length})</h3>
      {modules.map((m) => (
        <details
          key={m.module}
          data-testid={`module-${m.module}`}
          data-status={m.status}
          open={m.status === 'failed'}
        >
          <summary className={m.status === 'failed' ? 'text-danger' : ''}>
            {m.status === 'failed' ? '✗' : '✓'} <span className="mono">{m.module}</span>
          </summary>
          {m.error !== null && (
            <pre className="error-text">
              {m.error.type}: {m.error.message}
            </pre>
          )}
          {m.chain.length > 0 && <ImportChain chain={m.chain} testId={`module-chain-${m.module}`} />}
        </details>
      ))}
    </div>
  )
}
