import { AGENT_EVENT_TYPES } from '../../../shared/agentEvents'
import type { PushSummary, UserSummary } from '../../../shared/pushSummary'
import { BatchDraft } from './draft'
import { ensureUser } from './reducer'
import type { InspectorState } from './state'
import { isTargetUser } from './targetEvents'

/**
 * Folds a `summary` push (events the server counted instead of sending, to a tab that fell behind) into the
 * projection: every figure the events would have moved moves by the same amount, and each lane counts its user's
 * summarised events for its marker. The events kept for the tab arrive as an `events` push just before, so the
 * summary never moves `lastSeq`.
 */
export function reduceSummary(state: InspectorState, summary: PushSummary): InspectorState {
  if (summary.events === 0) return state
  const draft = new BatchDraft(state)
  const s = draft.next
  s.eventCount += summary.events
  for (const [userId, counts] of Object.entries(summary.users)) applyUser(draft, userId, counts)
  for (const [managerId, emitted] of Object.entries(summary.managers)) {
    const manager = draft.manager(managerId)
    if (manager !== undefined) manager.emitted += emitted
  }
  const other = summary.other
  s.warnings.total += other.warning ?? 0
  // Canary leaks are target mode's alone: counted past the kept ones, they are the target run's.
  const canaryLeaks = other.canary_leak ?? 0
  s.canaryLeaks.total += canaryLeaks
  if (s.target !== null && canaryLeaks > 0)
    s.target = { ...s.target, canaryLeaks: s.target.canaryLeaks + canaryLeaks }
  s.factory.created += other.manager_created ?? 0
  s.factory.closed += other.manager_closed ?? 0
  s.factory.rejected += other.manager_rejected ?? 0
  s.errors.total +=
    (other.phase_failed ?? 0) +
    (other.module_failed ?? 0) +
    (other.manager_rejected ?? 0) +
    (other.frame_rejected ?? 0)
  return s
}

function applyUser(draft: BatchDraft, userId: string, counts: UserSummary): void {
  const s = draft.next
  const user = ensureUser(draft, userId, null)
  let delivered = 0
  for (const type of AGENT_EVENT_TYPES) {
    const n = counts.delivered[type] ?? 0
    user.deliveredByType[type] += n
    delivered += n
  }
  user.delivered += delivered
  if (delivered > 0) {
    const latency = user.deliveryLatency
    latency.count += delivered
    latency.total += counts.latency_total_ms
    latency.max = Math.max(latency.max, counts.latency_max_ms)
  }
  user.runsStarted += counts.runs_started
  user.runsCompleted += counts.runs_completed
  user.violationsReceived += counts.violations_received
  user.violationsLeaked += counts.violations_leaked
  user.missingReports += counts.missing_reports
  s.violations.total += counts.violations_received
  if (s.target !== null && counts.violations_received > 0 && isTargetUser(user))
    s.target = { ...s.target, violations: s.target.violations + counts.violations_received }
  s.missing.total += counts.missing_reports
  if (user.manager_id !== null && delivered > 0) {
    const manager = draft.manager(user.manager_id)
    if (manager !== undefined) manager.delivered += delivered
  }
  const lane = s.lanes[userId]
  if (lane === undefined) return
  // A new lane object around the same entries: the rows are untouched, so the ring is not copied.
  const summarised =
    counts.emitted +
    delivered +
    counts.runs_started +
    counts.runs_completed +
    counts.violations_received +
    counts.missing_reports
  s.lanes[userId] = {
    ...lane,
    summary: { ...lane.summary, summarised: lane.summary.summarised + summarised }
  }
}
