import type { ConnectionState } from '../client/connection'

/** Visible whenever the UI may be showing stale data: the transport is down or the runtime refused hello. */
export function ConnectionBanner({
  connection,
  helloError
}: {
  connection: ConnectionState
  helloError: string | null
}): React.JSX.Element | null {
  if (connection.status === 'open' && helloError === null) return null
  if (connection.status === 'refused') {
    return (
      <div className="banner banner-error" role="alert" data-testid="disconnect-banner" data-status="refused">
        <strong data-testid="token-refused">Wrong token.</strong> {connection.problem}
      </div>
    )
  }
  const message =
    connection.status === 'open'
      ? helloError
      : connection.status === 'connecting' && connection.problem === null
        ? 'Connecting to the runtime… what you see may be stale.'
        : `Disconnected from the runtime (${connection.problem ?? 'no reason given'}). Reconnecting…`
  return (
    <div
      className="banner banner-error"
      role="alert"
      data-testid="disconnect-banner"
      data-status={connection.status}
    >
      {message}
    </div>
  )
}
