import { useEffect } from 'react'
import { usersInOrder, type InspectorState } from '../../store'
import { ALL_TYPES_ON } from '../users/laneFilter'
import { UserLane, type TypeNames } from '../users/UserLane'
import { ObserveConnections } from './ObserveConnections'
import { ObserveFormPanel } from './ObserveFormPanel'
import { ObserveLeaks } from './ObserveLeaks'
import { ObserveListenUrl } from './ObserveListenUrl'
import { ObserveSummaryCard } from './ObserveSummaryCard'
import type { ObserveRun } from './useObserve'

const NO_TYPE_NAMES: TypeNames = {}

/**
 * Observe mode from the app (docs/observe-mode.md#from-the-app): the relay's form, where to point clients, and,
 * live from the session's stream, connections per user, the leaks and a lane per observed user (the Users view's
 * lanes: red, with 'leak from OWNER'). At the end, the summary `observe` prints.
 */
export function ObserveView({
  observe,
  live
}: {
  observe: ObserveRun
  live: InspectorState | null
}): React.JSX.Element {
  const { status, ended, refresh } = observe
  // A runtime restart ends the observation on the host: opening the tab asks what is left.
  useEffect(() => {
    void refresh()
  }, [refresh])
  const observation = live?.observation ?? null
  const observed = new Set<string>()
  for (const connection of observation?.connections ?? [])
    if (connection.user_id !== null) observed.add(connection.user_id)
  for (const leak of observation?.leaks.recent ?? []) {
    observed.add(leak.owner_user_id)
    observed.add(leak.receiver_user_id)
  }
  const users = live === null ? [] : usersInOrder(live).filter((user) => observed.has(user.user_id))
  const running = status.kind === 'running' || status.kind === 'stopping'

  return (
    <div className="split">
      <div className="split-side wide">
        <ObserveFormPanel observe={observe} />
      </div>
      <div className="split-main observe-main">
        {running && <ObserveListenUrl url={status.url} upstream={status.upstream} />}
        {ended !== null && <ObserveSummaryCard ended={ended} />}
        {observation === null ? (
          <div className="empty" data-testid="observe-empty">
            Nothing observed in this session yet. Start observing, then point your clients at the listen URL.
          </div>
        ) : (
          <>
            <ObserveLeaks observation={observation} />
            <ObserveConnections observation={observation} />
            <div className="lanes" data-testid="observe-lanes" data-count={users.length}>
              {users.map((user) => {
                const lane = live?.lanes[user.user_id]
                if (lane === undefined) return null
                return (
                  <UserLane
                    key={user.user_id}
                    user={user}
                    lane={lane}
                    filter={ALL_TYPES_ON}
                    typeNames={NO_TYPE_NAMES}
                  />
                )
              })}
            </div>
          </>
        )}
      </div>
    </div>
  )
}
