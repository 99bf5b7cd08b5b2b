import type { InspectionEventOf } from '../../../shared/inspection'
import type { BatchDraft } from './draft'
import type { InspectorState, TargetInfo, UserView } from './state'

/** The manager id every target user connects under (src/main/target/runTarget.ts): how its users are told apart. */
const TARGET_MANAGER = '(target)'

export const isTargetUser = (user: UserView): boolean => user.manager_id === TARGET_MANAGER

/**
 * target_started: later events are read as a target run, with the backend's own type names. A new run starts its
 * lanes over: the previous run's users (the same ids, usually) are dropped rather than added to.
 */
export function applyTargetStarted(s: InspectorState, event: InspectionEventOf<'target_started'>): void {
  for (const user of Object.values(s.users)) {
    if (!isTargetUser(user)) continue
    delete s.users[user.user_id]
    delete s.lanes[user.user_id]
  }
  s.target = {
    seq: event.seq,
    url: event.url,
    users: event.users,
    runs: event.runs,
    expected: event.expected,
    typeNames: event.type_names,
    violations: 0,
    canaryLeaks: 0
  }
}

/** A violation whose receiver is a target user is the target run's (the runtime's users are never). */
export function noteTargetViolation(s: InspectorState, event: InspectionEventOf<'isolation_violation'>): void {
  const receiver = s.users[event.receiver_user_id]
  if (s.target !== null && receiver !== undefined && isTargetUser(receiver))
    s.target = { ...s.target, violations: s.target.violations + 1 }
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
  if (s.target !== null) s.target = { ...s.target, canaryLeaks: s.target.canaryLeaks + 1 }
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
