import { ReadOnlyFlow } from '../../components/graph/ReadOnlyFlow'
import { useElkLayout } from '../../components/graph/useElkLayout'
import { isShared, ringToArray, type InspectorState } from '../../store'
import { factoryNodeTypes } from './FactoryNodes'
import { factoryFlow, factoryLayoutSpec } from './factoryGraph'

export function FactoryView({ state }: { state: InspectorState }): React.JSX.Element {
  const { positions, key } = useElkLayout(factoryLayoutSpec(state))
  const shared = isShared(state)
  const managerCount = Object.keys(state.factory.managers).length
  const mode = managerCount === 0 ? 'none' : shared ? 'shared' : 'isolated'
  const flow = positions === null ? null : factoryFlow(state, positions)
  const rejections = ringToArray(state.factory.rejections).slice(-5).reverse()

  return (
    <div className="split">
      <section className="split-main column">
        {shared && (
          <div className="banner banner-error" data-testid="factory-shared-warning">
            One shared manager serves every user: each user&apos;s events fan out to all connections.
          </div>
        )}
        <div
          className="graph"
          data-testid="factory-graph"
          data-mode={mode}
          data-layout={flow ? 'done' : 'pending'}
        >
          {flow !== null && (
            <ReadOnlyFlow
              key={key}
              nodes={flow.nodes}
              edges={flow.edges}
              nodeTypes={factoryNodeTypes}
              minZoom={0.1}
            />
          )}
        </div>
      </section>
      <aside className="split-side">
        <div className="card">
          <h3>Factory</h3>
          <div className="kv-grid">
            <span>mode</span>
            <b data-testid="factory-mode" data-mode={mode} className={shared ? 'text-danger' : ''}>
              {mode}
            </b>
            <span>created</span>
            <b data-testid="factory-created">{state.factory.created}</b>
            <span>closed</span>
            <b data-testid="factory-closed">{state.factory.closed}</b>
            <span>open</span>
            <b data-testid="factory-open">{managerCount}</b>
            <span>rejected</span>
            <b data-testid="factory-rejected" className={state.factory.rejected > 0 ? 'text-danger' : ''}>
              {state.factory.rejected}
            </b>
          </div>
        </div>
        {rejections.length > 0 && (
          <div className="card card-danger">
            <h3>Rejected calls</h3>
            {rejections.map((r) => (
              <div key={r.seq} className="rejection" data-testid="factory-rejection">
                <div className="mono">
                  {r.caller} → {r.call}
                </div>
                <pre className="error-text">
                  {r.error.type}: {r.error.message}
                </pre>
              </div>
            ))}
          </div>
        )}
      </aside>
    </div>
  )
}
