import { FAULT_NAMES, FAULTS, type FaultName } from '../../../../shared/faults'
import { CommandError } from '../../components/CommandError'
import { useCommand } from '../../session/useCommand'
import type { InspectorState } from '../../store'

/** The runtime's faults; each toggle rebuilds the runtime, which answers with a reset push carrying the new set. */
export function FaultsView({ state }: { state: InspectorState }): React.JSX.Element {
  const { run, busy, readOnly, error } = useCommand()
  const active = new Set<FaultName>(state.faults)
  const toggle = (name: FaultName): void => {
    const next = FAULT_NAMES.filter((fault) => (fault === name ? !active.has(fault) : active.has(fault)))
    void run({ cmd: 'set_faults', faults: next })
  }
  return (
    <div className="column padded">
      <div className="controls">
        <button
          type="button"
          className="primary"
          data-testid="restart-startup-button"
          disabled={busy || readOnly}
          onClick={() => void run({ cmd: 'restart_startup' })}
        >
          Restart start-up
        </button>
        <span className="muted" data-testid="active-fault-count" data-count={active.size}>
          {active.size} fault(s) on
        </span>
        <CommandError error={error} />
      </div>
      <div className="fault-list">
        {FAULT_NAMES.map((name) => (
          <label key={name} className={active.has(name) ? 'fault on' : 'fault'}>
            <input
              type="checkbox"
              checked={active.has(name)}
              disabled={busy || readOnly}
              data-testid={`fault-toggle-${name}`}
              data-on={active.has(name)}
              onChange={() => toggle(name)}
            />
            <span className="fault-name mono">{name}</span>
            <span className="fault-description">{FAULTS[name]}</span>
          </label>
        ))}
      </div>
    </div>
  )
}
