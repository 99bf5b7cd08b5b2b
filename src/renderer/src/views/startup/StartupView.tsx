import type { InspectorState } from '../../store'
import { ContractList } from './ContractList'
import { FailurePanel } from './FailurePanel'
import { ModuleList } from './ModuleList'
import { PhaseGraph } from './PhaseGraph'
import { PhaseHistory } from './PhaseHistory'

export function StartupView({ state }: { state: InspectorState }): React.JSX.Element {
  return (
    <div className="split">
      <section className="split-main">
        {state.machine === null ? (
          <div className="empty">The runtime sent no machine definition.</div>
        ) : (
          <PhaseGraph machine={state.machine} state={state} />
        )}
      </section>
      <aside className="split-side">
        <FailurePanel state={state} />
        <ContractList state={state} />
        <ModuleList state={state} />
        <PhaseHistory state={state} />
      </aside>
    </div>
  )
}
