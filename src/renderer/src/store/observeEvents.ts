import type { InspectionEventOf } from '../../../shared/inspection'
import type { BatchDraft } from './draft'
import { foldIntoSummary } from './reducer'
import { ringLast, ringSet } from './ring'
import {
  LIMITS,
  type FrameLaneEntry,
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

/**
 * A frame a user's client received becomes a row in that user's lane (bounded like agent events: the oldest fold
 * into the lane summary) and counts as received; a frame it sent only counts as sent. Per frame: a slice of its
 * text, no parsing.
 */
export function applyObservedFrame(
  draft: BatchDraft,
  event: InspectionEventOf<'observed_frame'>,
  user: UserView
): void {
  if (event.direction === 'client_to_server') {
    user.framesSent += 1
    return
  }
  user.delivered += 1
  pushFrameRow(draft, user.user_id, {
    kind: 'frame',
    seq: event.seq,
    ts: event.ts,
    connection_id: event.connection_id,
    bytes: event.bytes,
    binary: event.binary,
    excerpt: event.binary ? '' : event.data.slice(0, LIMITS.frameExcerpt),
    owner: event.owner_user_id ?? null,
    owners: [],
    leaks: 0,
    lastSeq: event.seq,
    violation: false
  })
}

/**
 * An observed_leak follows its frame at once (one per owner found, each right after the last), so when the
 * receiver's newest row is that frame it turns red naming the owner. A stream that no longer holds the frame
 * (a history cut by its bound) gets a leak row of its own instead (its further leaks join it), so no leak goes
 * unshown.
 */
export function markLeakedFrame(draft: BatchDraft, event: InspectionEventOf<'observed_leak'>): void {
  const current = draft.next.lanes[event.receiver_user_id]
  if (current === undefined) return
  const newest = ringLast(current.entries)
  const owner = event.owner_user_id
  if (
    newest?.kind === 'frame' &&
    newest.connection_id === event.connection_id &&
    newest.lastSeq + 1 === event.seq
  ) {
    const lane = draft.lane(event.receiver_user_id)
    if (lane === undefined) return
    ringSet(lane.entries, lane.entries.size - 1, {
      ...newest,
      owners: newest.owners.includes(owner) ? newest.owners : [...newest.owners, owner],
      leaks: newest.leaks + 1,
      lastSeq: event.seq,
      violation: true
    })
    return
  }
  pushFrameRow(draft, event.receiver_user_id, {
    kind: 'frame',
    seq: event.seq,
    ts: event.ts,
    connection_id: event.connection_id,
    bytes: null,
    binary: false,
    excerpt: event.excerpt.slice(0, LIMITS.frameExcerpt),
    owner: event.by === 'owner_id' ? owner : null,
    owners: [owner],
    leaks: 1,
    lastSeq: event.seq,
    violation: true
  })
}

function pushFrameRow(draft: BatchDraft, userId: string, entry: FrameLaneEntry): void {
  const lane = draft.lane(userId)
  if (lane === undefined) return
  const evicted = draft.push(lane, 'entries', entry)
  if (evicted !== undefined) foldIntoSummary(lane.summary, evicted)
}
