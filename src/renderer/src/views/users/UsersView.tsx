import { useState } from 'react'
import { ringToArray, usersInOrder, type InspectorState } from '../../store'
import { ALL_TYPES_ON, type LaneFilter } from './laneFilter'
import { LaneFilterBar } from './LaneFilterBar'
import { UserControls } from './UserControls'
import { UserLane, type TypeNames } from './UserLane'

/** The embedded runtime's events go by their role names. */
const ROLE_NAMES: TypeNames = {}

export function UsersView({ state }: { state: InspectorState }): React.JSX.Element {
  const [filter, setFilter] = useState<LaneFilter>(ALL_TYPES_ON)
  const users = usersInOrder(state)
  const typeNames = state.target?.typeNames ?? ROLE_NAMES
  const missing = ringToArray(state.missing.recent).slice(-20).reverse()

  return (
    <div className="column fill">
      <div className="toolbar-2">
        <UserControls laneCapacity={state.laneCapacity} />
        <LaneFilterBar filter={filter} typeNames={typeNames} onChange={setFilter} />
      </div>
      {state.target !== null && (
        <div className="users-target muted" data-testid="users-target" data-url={state.target.url}>
          Target <span className="mono">{state.target.url}</span> · {state.target.users} users ×{' '}
          {state.target.runs} runs · each run expects{' '}
          {state.target.expected.map((role) => state.target?.typeNames[role] ?? role).join(' → ')}
          {state.unparsedFrames.total > 0 && (
            <span className="text-warn"> · {state.unparsedFrames.total} frames unparsed</span>
          )}
          {state.unreadableOwners.total > 0 && (
            <span className="text-warn"> · {state.unreadableOwners.total} owners unreadable</span>
          )}
        </div>
      )}
      {missing.length > 0 && (
        <details className="card card-warn" data-testid="missing-events" data-count={state.missing.total}>
          <summary>{state.missing.total} run(s) with missing or out-of-order events</summary>
          {missing.map((report) => (
            <div
              key={report.seq}
              className="mono small"
              data-testid="missing-report"
              data-user={report.user_id}
            >
              {report.user_id} · {report.run_id} ·{' '}
              {report.kind === 'events_missing'
                ? `missing ${report.missing.join(', ')}`
                : `out of order: ${report.received.join(' → ')}`}
            </div>
          ))}
        </details>
      )}
      <div className="lanes" data-testid="lanes" data-count={users.length}>
        {users.length === 0 && <div className="empty">No users yet. Add some above.</div>}
        {users.map((user) => {
          const lane = state.lanes[user.user_id]
          if (lane === undefined) return null
          return <UserLane key={user.user_id} user={user} lane={lane} filter={filter} typeNames={typeNames} />
        })}
      </div>
    </div>
  )
}
