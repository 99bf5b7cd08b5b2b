import type { InspectionEventOf } from '../../../shared/inspection'
import type { BatchDraft } from './draft'
import type { InspectorState, TargetInfo, UserView } from './state'

/** target_started: later events are read as a target run, with the backend's own type names. */
export function applyTargetStarted(s: InspectorState, event: InspectionEventOf<'target_started'>): void {
  s.target = {
    seq: event.seq,
    url: event.url,
    users: event.users,
    runs: event.runs,
    expected: event.expected,
    typeNames: event.type_names
  }
}

/**
 * A canary leak counts against its receiver, and waits on the receiver for the delivery of the same frame (the
 * target session reports the canary first, then judges the frame), so that lane row can show whose canary it is.
 */
export function applyCanaryLeak(
  draft: BatchDraft,
  event: InspectionEventOf<'canary_leak'>,
  receiver: UserView
): void {
  const s = draft.next
  s.canaryLeaks.total += 1
  draft.push(s.canaryLeaks, 'recent', event)
  receiver.canaryLeaksReceived += 1
  receiver.canaryFrom = {
    ...receiver.canaryFrom,
    [event.canary_user_id]: (receiver.canaryFrom[event.canary_user_id] ?? 0) + 1
  }
  const pending = receiver.pendingCanary
  // One frame carrying several users' canaries gives several canary_leak events in a row.
  receiver.pendingCanary =
    pending !== null && pending.frameType === event.frame_type && pending.runId === event.run_id
      ? { ...pending, owners: [...pending.owners, event.canary_user_id] }
      : { owners: [event.canary_user_id], frameType: event.frame_type, runId: event.run_id }
}

export function applyUnparsedFrame(
  draft: BatchDraft,
  event: InspectionEventOf<'target_frame_unparsed'>,
  receiver: UserView
): void {
  draft.next.unparsedFrames.total += 1
  draft.push(draft.next.unparsedFrames, 'recent', event)
  receiver.unparsedFrames += 1
  receiver.pendingCanary = null
}

export function applyUnreadableOwner(
  draft: BatchDraft,
  event: InspectionEventOf<'target_owner_unreadable'>,
  receiver: UserView
): void {
  draft.next.unreadableOwners.total += 1
  draft.push(draft.next.unreadableOwners, 'recent', event)
  receiver.unreadableOwners += 1
  receiver.pendingCanary = null
}

/** The canary owners of a delivery, when it is the frame the last canary leak to this receiver was found in. */
export function takePendingCanary(
  receiver: UserView,
  event: InspectionEventOf<'agent_event_delivered'>,
  target: TargetInfo | null
): string[] | null {
  const pending = receiver.pendingCanary
  if (pending === null) return null
  receiver.pendingCanary = null
  const typeName = target?.typeNames[event.type] ?? event.type
  return pending.runId === event.run_id && pending.frameType === typeName ? pending.owners : null
}
