import { useState } from 'react'
import { CommandError } from '../../components/CommandError'
import { useSessionActions } from '../../session/SessionContext'
import { useCommand } from '../../session/useCommand'
import { LIMITS } from '../../store'

/** Commands that act on all users at once, plus the lane bound (a view setting, not a runtime command). */
export function UserControls({ laneCapacity }: { laneCapacity: number }): React.JSX.Element {
  const { run, busy, readOnly, error } = useCommand()
  const { setLaneCapacity } = useSessionActions()
  const [count, setCount] = useState(3)
  const [runs, setRuns] = useState(1)
  return (
    <div className="controls">
      <label>
        users
        <input
          type="number"
          min={1}
          max={100}
          value={count}
          data-testid="add-users-count"
          onChange={(e) => setCount(clamp(e.target.valueAsNumber, 1, 100))}
        />
      </label>
      <button
        type="button"
        data-testid="add-users-button"
        disabled={busy || readOnly}
        onClick={() => void run({ cmd: 'add_users', count })}
      >
        Add users
      </button>
      <span className="sep" />
      <label>
        runs
        <input
          type="number"
          min={1}
          max={1000}
          value={runs}
          data-testid="runs-count"
          onChange={(e) => setRuns(clamp(e.target.valueAsNumber, 1, 1000))}
        />
      </label>
      <button
        type="button"
        className="primary"
        data-testid="run-all-button"
        disabled={busy || readOnly}
        onClick={() => void run({ cmd: 'start_runs', runs })}
      >
        Run all
      </button>
      <span className="sep" />
      <label title="Events kept per lane; older ones are folded into the lane's counts">
        keep per lane
        <input
          type="number"
          min={1}
          max={LIMITS.maxLaneCapacity}
          defaultValue={laneCapacity}
          data-testid="lane-capacity-input"
          onBlur={(e) => setLaneCapacity(clamp(e.target.valueAsNumber, 1, LIMITS.maxLaneCapacity))}
          onKeyDown={(e) => {
            if (e.key === 'Enter')
              setLaneCapacity(clamp(e.currentTarget.valueAsNumber, 1, LIMITS.maxLaneCapacity))
          }}
        />
      </label>
      <CommandError error={error} />
    </div>
  )
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : min
}
