import type { InspectionEventOf } from '../../../shared/inspection'
import {
  LIMITS,
  type InspectorState,
  type ObservationView,
  type ObservedConnectionView,
  type UserView
} from './state'

/**
 * Observe mode's leak: counted on the receiver's lane, with the owner named (the lane turns red and says whose
 * frames reached it). The reducer gives the owner a lane too, so both users show in the users view.
 */
export function applyObservedLeak(event: InspectionEventOf<'observed_leak'>, receiver: UserView): void {
  receiver.observedLeaksReceived += 1
  receiver.leakFrom = {
    ...receiver.leakFrom,
    [event.owner_user_id]: (receiver.leakFrom[event.owner_user_id] ?? 0) + 1
  }
}

/** A new observation: its connections and leaks start over (users and their lanes stay, as in any session). */
export function applyObserveStarted(s: InspectorState, event: InspectionEventOf<'observe_started'>): void {
  s.observation = {
    seq: event.seq,
    source: event.source,
    rules: event.rules,
    ownerIds: event.owner_ids,
    connections: [],
    connectionsSeen: 0,
    leaks: { total: 0, recent: [] }
  }
}

/**
 * The observation an event belongs to. A history that no longer reaches back to observe_started (the ring keeps the
 * newest events) still shows what it holds, under an observation whose source and rules are unknown.
 */
function observationOf(s: InspectorState, seq: number): ObservationView {
  s.observation ??= {
    seq,
    source: '',
    rules: [],
    ownerIds: [],
    connections: [],
    connectionsSeen: 0,
    leaks: { total: 0, recent: [] }
  }
  return s.observation
}

export function applyObservedConnection(
  s: InspectorState,
  event: InspectionEventOf<'observed_connection'>
): void {
  const observation = observationOf(s, event.seq)
  const listed: ObservedConnectionView = {
    connection_id: event.connection_id,
    user_id: event.user_id,
    rule: event.rule,
    problems: event.problems,
    url: event.url,
    close: null
  }
  s.observation = {
    ...observation,
    connections: bounded([...observation.connections, listed]),
    connectionsSeen: observation.connectionsSeen + 1
  }
}

export function applyObservedClosed(s: InspectorState, event: InspectionEventOf<'observed_closed'>): void {
  const observation = observationOf(s, event.seq)
  const close = { code: event.code, reason: event.reason, closedBy: event.closed_by }
  s.observation = {
    ...observation,
    connections: observation.connections.map((connection) =>
      connection.connection_id === event.connection_id ? { ...connection, close } : connection
    )
  }
}

export function noteObservedLeak(s: InspectorState, event: InspectionEventOf<'observed_leak'>): void {
  const observation = observationOf(s, event.seq)
  const recent = [...observation.leaks.recent, event]
  s.observation = {
    ...observation,
    leaks: { total: observation.leaks.total + 1, recent: recent.slice(-LIMITS.observedLeaks) }
  }
}

/** Past the bound the oldest closed connection goes first; open ones only when every listed one is open. */
function bounded(connections: ObservedConnectionView[]): ObservationView['connections'] {
  if (connections.length <= LIMITS.observedConnections) return connections
  const closed = connections.findIndex((connection) => connection.close !== null)
  return connections.filter((_, index) => index !== (closed < 0 ? 0 : closed))
}
