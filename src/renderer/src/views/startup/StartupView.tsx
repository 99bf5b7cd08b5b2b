import type { MachineGraph } from '../../../../shared/machineGraph'
import type { Replay } from '../../session/replay'
import type { InspectorState } from '../../store'
import type { TabId } from '../../tabs'
import { ContractList } from './ContractList'
import { FailurePanel } from './FailurePanel'
import { ModuleList } from './ModuleList'
import { PhaseGraph } from './PhaseGraph'
import { PhaseHistory } from './PhaseHistory'
import { ScanFolderCard } from './ScanFolderCard'

export function StartupView({
  state,
  machine,
  onOpenReplay
}: {
  state: InspectorState
  /** The live runtime's machine, for a scan's replay. */
  machine: MachineGraph | null
  onOpenReplay: (replay: Replay, tab?: TabId) => void
}): React.JSX.Element {
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
        <ScanFolderCard machine={machine} onOpenReplay={onOpenReplay} />
      </aside>
    </div>
  )
}
