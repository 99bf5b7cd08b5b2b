import type { InspectorState } from '../../store'

/** The start-up failure as the seeds print it: type, message, site, and the import chain that led there. */
export function FailurePanel({ state }: { state: InspectorState }): React.JSX.Element | null {
  const failure = state.phase.failure
  if (failure === null) return null
  const failedModule = Object.values(state.modules).find((m) => m.status === 'failed')
  const chain = failure.error.chain ?? failedModule?.chain ?? []
  return (
    <div className="card card-danger" data-testid="startup-failure" data-phase={failure.phase}>
      <h3>Start-up failed in {failure.phase}</h3>
      <pre className="error-text" data-testid="failure-message">
        {failure.error.type}: {failure.error.message}
      </pre>
      {failure.error.site !== undefined && (
        <div className="muted" data-testid="failure-site">
          at {failure.error.site}
        </div>
      )}
      {chain.length > 0 && <ImportChain chain={chain} testId="import-chain" />}
    </div>
  )
}

export function ImportChain({ chain, testId }: { chain: string[]; testId: string }): React.JSX.Element {
  return (
    <ol className="import-chain" data-testid={testId} data-length={chain.length}>
      {chain.map((module, i) => (
        <li key={`${i}-${module}`} data-testid={`${testId}-item`}>
          {module}
        </li>
      ))}
    </ol>
  )
}
