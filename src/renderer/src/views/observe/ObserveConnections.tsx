import type { ObservationView, ObservedConnectionView } from '../../store'

/** Connections per attributed user (by which rule, open or closed), then the ones no rule named, with why. */
export function ObserveConnections({ observation }: { observation: ObservationView }): React.JSX.Element {
  const byUser = new Map<string, ObservedConnectionView[]>()
  const unattributed: ObservedConnectionView[] = []
  for (const connection of observation.connections) {
    if (connection.user_id === null) unattributed.push(connection)
    else byUser.set(connection.user_id, [...(byUser.get(connection.user_id) ?? []), connection])
  }
  const listed = observation.connections.length
  return (
    <div className="card column" data-testid="observe-connections" data-count={observation.connectionsSeen}>
      <h3>
        Connections · {observation.connectionsSeen}
        {observation.connectionsSeen > listed && (
          <span className="muted small"> (the newest {listed} listed)</span>
        )}
      </h3>
      {listed === 0 && <div className="empty">No connection yet: point a client at the listen URL.</div>}
      {[...byUser].map(([userId, connections]) => (
        <div
          key={userId}
          className="observe-user"
          data-testid={`observe-user-${userId}`}
          data-user={userId}
          data-open={connections.filter((c) => c.close === null).length}
          data-connections={connections.length}
        >
          <strong className="mono">{userId}</strong>{' '}
          <span className="muted small">
            {connections.filter((c) => c.close === null).length} open of {connections.length}
          </span>
          {connections.map((connection) => (
            <ConnectionRow key={connection.connection_id} connection={connection} />
          ))}
        </div>
      ))}
      {unattributed.length > 0 && (
        <div
          className="observe-user"
          data-testid="observe-unattributed"
          data-connections={unattributed.length}
        >
          <strong className="text-warn">unattributed</strong>{' '}
          <span className="muted small">no rule named a user: shown, never guessed</span>
          {unattributed.map((connection) => (
            <ConnectionRow key={connection.connection_id} connection={connection} />
          ))}
        </div>
      )}
    </div>
  )
}

function ConnectionRow({ connection }: { connection: ObservedConnectionView }): React.JSX.Element {
  const { close } = connection
  return (
    <div
      className="mono small observe-connection"
      data-testid="observe-connection"
      data-connection-id={connection.connection_id}
      data-user={connection.user_id ?? ''}
      data-rule={connection.rule ?? ''}
      data-state={close === null ? 'open' : 'closed'}
    >
      {connection.connection_id} {connection.url} ·{' '}
      {connection.rule !== null ? `by ${connection.rule}` : connection.problems.join('; ')} ·{' '}
      {close === null ? (
        <span className="badge badge-live">open</span>
      ) : (
        <span className="badge" title={close.reason}>
          closed {close.code} by {close.closedBy}
        </span>
      )}
    </div>
  )
}
