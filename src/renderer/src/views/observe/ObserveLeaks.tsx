import type { ObservationView } from '../../store'

/**
 * The leaks as they are found, newest first, each naming the owner and the user it reached. A frame found by its
 * owner id and by a canary is listed twice, once per finding, as in the recording.
 */
export function ObserveLeaks({ observation }: { observation: ObservationView }): React.JSX.Element {
  const { total, recent } = observation.leaks
  return (
    <div
      className={total > 0 ? 'card card-danger column' : 'card column'}
      data-testid="observe-leaks"
      data-count={total}
    >
      <h3>{total === 0 ? 'No leak so far' : `${total} leak(s) found`}</h3>
      {[...recent].reverse().map((leak) => (
        <div
          key={leak.seq}
          className="mono small text-danger"
          data-testid="observe-leak"
          data-owner={leak.owner_user_id}
          data-receiver={leak.receiver_user_id}
          data-by={leak.by}
        >
          {leak.receiver_user_id} received a frame of {leak.owner_user_id} (
          {leak.by === 'owner_id' ? `owner id ${leak.pointer ?? ''}` : `canary '${leak.canary ?? ''}'`}):{' '}
          {leak.excerpt}
        </div>
      ))}
    </div>
  )
}
