import { averageMs, type InspectorState } from '../../store'
import type { TargetReport } from './targetResult'
import { formatMs } from './TargetVerdict'

/** Per user: the report's counts, and latency from the same stream folded by the views' reducer. */
export function TargetUsersTable({
  report,
  final
}: {
  report: TargetReport
  final: InspectorState
}): React.JSX.Element {
  return (
    <div className="card">
      <h3>Per user</h3>
      <table className="target-table" data-testid="target-users-table" data-count={report.perUser.length}>
        <thead>
          <tr>
            <th>user</th>
            <th>received</th>
            <th>own</th>
            <th>foreign</th>
            <th>canary</th>
            <th>unreadable</th>
            <th>unparsed</th>
            <th>runs missing</th>
            <th>run latency avg</th>
            <th>event latency avg</th>
          </tr>
        </thead>
        <tbody>
          {report.perUser.map((user) => {
            const view = final.users[user.user_id]
            const runAvg = view === undefined ? null : averageMs(view.runLatency)
            const eventAvg = view === undefined ? null : averageMs(view.deliveryLatency)
            const bad = user.foreign > 0 || user.canaryLeaks > 0
            return (
              <tr
                key={user.user_id}
                className={bad ? 'is-bad' : ''}
                data-testid={`target-user-${user.user_id}`}
                data-received={user.received}
                data-own={user.own}
                data-foreign={user.foreign}
                data-canary-leaks={user.canaryLeaks}
                data-unreadable={user.unreadable}
                data-run-latency-ms={runAvg === null ? '' : runAvg.toFixed(1)}
              >
                <td className="mono">{user.user_id}</td>
                <td>{user.received}</td>
                <td>{user.own}</td>
                <td className={user.foreign > 0 ? 'text-danger' : ''}>{user.foreign}</td>
                <td className={user.canaryLeaks > 0 ? 'text-danger' : ''}>{user.canaryLeaks}</td>
                <td className={user.unreadable > 0 ? 'text-warn' : ''}>{user.unreadable}</td>
                <td>{view?.unparsedFrames ?? 0}</td>
                <td>{view?.missingReports ?? 0}</td>
                <td>{formatMs(runAvg)}</td>
                <td>{formatMs(eventAvg)}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
