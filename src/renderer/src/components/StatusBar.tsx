import type { ConnectionState } from '../client/connection'
import { currentPhase, type InspectorState } from '../store'

const SOURCE_TITLES = {
  runtime: 'The embedded runtime, live',
  replay: 'The replay, at its cursor',
  target: "The Target tab's run, live while it goes (the embedded runtime's figures are on the other tabs)"
} as const

/** The always-visible numbers: connection, phase, how many events, and the one that matters most — violations. */
export function StatusBar({
  state,
  source,
  connection,
  transport
}: {
  state: InspectorState | null
  /** Whose numbers these are: the live runtime, a replay, or the Target tab's last run (never mixed). */
  source: 'runtime' | 'replay' | 'target'
  connection: ConnectionState
  transport: string
}): React.JSX.Element {
  const phase = state === null ? null : currentPhase(state)
  // A target run's own figures: the live session may hold the embedded runtime's violations beside them.
  const target = source === 'target' ? (state?.target ?? null) : null
  const violations = target?.violations ?? (source === 'target' ? 0 : (state?.violations.total ?? 0))
  // Target mode only: a frame carrying another user's marker is a leak even when its ids look right.
  const canaryLeaks = target?.canaryLeaks ?? (source === 'target' ? 0 : (state?.canaryLeaks.total ?? 0))
  // Observe mode: frames of one real user that reached another, live or in a replayed observe recording.
  const observedLeaks = source === 'target' ? 0 : (state?.observation?.leaks.total ?? 0)
  return (
    <div className="status">
      <span className="pill" data-testid="current-phase" data-phase={phase ?? ''}>
        phase: {phase ?? '—'}
      </span>
      <span className="pill" data-testid="event-count" data-count={state?.eventCount ?? 0}>
        events: {state?.eventCount ?? 0}
      </span>
      <span
        className={violations > 0 ? 'pill pill-danger' : 'pill'}
        data-testid="violation-count"
        data-count={violations}
        data-source={source}
        title={SOURCE_TITLES[source]}
      >
        {source === 'target' ? 'target run violations' : 'violations'}: {violations}
      </span>
      {canaryLeaks > 0 && (
        <span className="pill pill-danger" data-testid="canary-leak-count" data-count={canaryLeaks}>
          canary leaks: {canaryLeaks}
        </span>
      )}
      {observedLeaks > 0 && (
        <span className="pill pill-danger" data-testid="observed-leak-count" data-count={observedLeaks}>
          observed leaks: {observedLeaks}
        </span>
      )}
      <span
        className={`pill conn conn-${connection.status}`}
        data-testid="connection-status"
        data-status={connection.status}
        data-transport={transport}
        title={connection.problem ?? ''}
      >
        {transport} · {connection.status}
      </span>
    </div>
  )
}
