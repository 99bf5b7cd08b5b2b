import { useState } from 'react'
import { ringToArray, usersInOrder, type InspectorState } from '../../store'
import { ALL_TYPES_ON, type LaneFilter } from './laneFilter'
import { LaneFilterBar } from './LaneFilterBar'
import { UserControls } from './UserControls'
import { UserLane, type TypeNames } from './UserLane'
import { UsersOverview } from './UsersOverview'

/**
 * Lanes drawn side by side at most: each is a column of the page, and hundreds of them make every batch slow to
 * lay out (300 took seconds to open). Past this the overview is the way to the others.
 */
export const LANES_SHOWN = 50

/** The embedded runtime's events go by their role names. */
const ROLE_NAMES: TypeNames = {}

export function UsersView({ state }: { state: InspectorState }): React.JSX.Element {
  const [filter, setFilter] = useState<LaneFilter>(ALL_TYPES_ON)
  /** A user picked in the overview: its lane is shown alone. */
  const [focus, setFocus] = useState<string | null>(null)
  const users = usersInOrder(state)
  const focused = focus === null ? undefined : state.users[focus]
  const laned = focused === undefined ? users.slice(0, LANES_SHOWN) : [focused]
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
      {users.length > 0 && (
        <UsersOverview users={users} selected={focused?.user_id ?? null} onSelect={setFocus} />
      )}
      {focused !== undefined && (
        <div className="lanes-focus small" data-testid="lanes-focus" data-user={focused.user_id}>
          Showing <span className="mono">{focused.user_id}</span> alone ·{' '}
          <button type="button" className="link" data-testid="lanes-show-all" onClick={() => setFocus(null)}>
            show all {users.length} lanes
          </button>
        </div>
      )}
      {focused === undefined && users.length > LANES_SHOWN && (
        <div className="lanes-focus small" data-testid="lanes-limited" data-shown={LANES_SHOWN}>
          The first {LANES_SHOWN} of {users.length} lanes; pick a user in the overview to see its lane.
        </div>
      )}
      <div className="lanes" data-testid="lanes" data-count={users.length} data-shown={laned.length}>
        {users.length === 0 && <div className="empty">No users yet. Add some above.</div>}
        {laned.map((user) => {
          const lane = state.lanes[user.user_id]
          if (lane === undefined) return null
          return <UserLane key={user.user_id} user={user} lane={lane} filter={filter} typeNames={typeNames} />
        })}
      </div>
    </div>
  )
}
