import type { ObserveEnded } from './useObserve'

/** What the observation saw, as `observe` prints it at the end: the verdict, the leaks, per user, rules, relay. */
export function ObserveSummaryCard({ ended }: { ended: ObserveEnded }): React.JSX.Element {
  const { summary, relay, exitCode } = ended
  const { connections, frames, leaks } = summary
  return (
    <div
      className={exitCode === 0 ? 'card column' : 'card card-danger column'}
      data-testid="observe-summary"
      data-exit-code={exitCode}
      data-leaks={leaks.total}
      data-ended-by={ended.endedBy}
    >
      <h3>
        {ended.endedBy === 'restart' ? 'Ended by a runtime restart: ' : 'Stopped: '}
        {exitCode === 0
          ? 'no leaks, every judged frame reached its own user'
          : `LEAKS: ${leaks.total} frame(s) reached a user they do not belong to`}
      </h3>
      <div className="small">
        observed {summary.source}: {connections.total} connection(s), {connections.attributed} attributed,{' '}
        {connections.unattributed} unattributed
      </div>
      {leaks.byOwnerId.map((leak) => (
        <div
          key={`id ${leak.owner} ${leak.receiver} ${leak.pointer}`}
          className="mono small text-danger"
          data-testid="observe-summary-leak"
          data-owner={leak.owner}
          data-receiver={leak.receiver}
        >
          {leak.receiver} received {leak.frames} frame(s) owned by {leak.owner} (owner id {leak.pointer})
        </div>
      ))}
      {leaks.byCanary.map((leak) => (
        <div
          key={`canary ${leak.owner} ${leak.receiver}`}
          className="mono small text-danger"
          data-testid="observe-summary-leak"
          data-owner={leak.owner}
          data-receiver={leak.receiver}
        >
          {leak.receiver} received {leak.frames} frame(s) carrying {leak.owner}&apos;s canary &apos;
          {leak.example}
          &apos;
        </div>
      ))}
      <table className="target-table small">
        <thead>
          <tr>
            <th>user</th>
            <th>connections</th>
            <th>sent</th>
            <th>received</th>
            <th>leaks received</th>
            <th>caused</th>
          </tr>
        </thead>
        <tbody>
          {summary.users.map((user) => (
            <tr key={user.user_id} data-testid="observe-summary-user" data-user={user.user_id}>
              <td className="mono">{user.user_id}</td>
              <td>{user.connections}</td>
              <td>{user.sent}</td>
              <td>{user.received}</td>
              <td className={user.leaksReceived > 0 ? 'text-danger' : undefined}>{user.leaksReceived}</td>
              <td>{user.leaksCaused}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {summary.unattributedReasons.map(({ reason, connections: count }) => (
        <div key={reason} className="small text-warn">
          unattributed ({count}): {reason}
        </div>
      ))}
      <div className="muted small">
        rules: {summary.rules.map((rule) => `${rule.rule} named ${rule.named}`).join(', ')}
      </div>
      <div className="muted small">
        frames: {frames.clientToServer} client→server, {frames.serverToClient} server→client ({frames.binary}{' '}
        binary), {frames.unparsed} not JSON, {frames.tooLarge} too large to judge, {frames.toUnattributed} to
        unattributed connections, {frames.ownerIdUnknown} with an owner id naming no observed user
      </div>
      <div className="muted small">
        relay: {relay.connections} WebSocket connection(s), {relay.httpRequests} HTTP request(s) passed
        through
        {relay.upgradesRefused > 0 && `, ${relay.upgradesRefused} upgrade(s) refused`}
        {relay.upstreamFailures > 0 && `, ${relay.upstreamFailures} request(s) the upstream did not answer`}
      </div>
    </div>
  )
}
