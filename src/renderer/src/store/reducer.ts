import type { ContextIds } from '../../../shared/context'
import type { ErrorInfo, InspectionEvent, InspectionEventOf } from '../../../shared/inspection'
import { BatchDraft } from './draft'
import { createRing, ringAt, ringSet } from './ring'
import {
  applyCanaryLeak,
  applyTargetStarted,
  isTargetUser,
  noteTargetViolation,
  applyUnparsedFrame,
  applyUnreadableOwner,
  takePendingCanary
} from './targetEvents'
import {
  applyObserveStarted,
  applyObservedClosed,
  applyObservedConnection,
  applyObservedFrame,
  applyObservedLeak,
  markLeakedFrame,
  noteObservedLeak
} from './observeEvents'
import {
  LIMITS,
  emptyByType,
  emptyLatency,
  type ErrorReport,
  type InspectorState,
  type LaneEntry,
  type LaneSummary,
  type LatencyStats,
  type UserView
} from './state'

/** How far back from the newest lane entry an isolation_violation looks for the delivery it reports. */
const VIOLATION_LOOKBACK = 256

/**
 * The projection: folds a batch of inspection events into the next state. Pure: `state` is never mutated and the
 * result shares every object the batch did not touch. Events at or below `state.lastSeq` are skipped, so a history
 * and a push that overlap after a reconnect count once.
 */
export function reduceEvents(state: InspectorState, events: readonly InspectionEvent[]): InspectorState {
  const fold = new EventFold(state)
  for (const event of events) fold.add(event)
  return fold.state()
}

/**
 * reduceEvents one event at a time, for a caller that reads events as a stream (a recording being indexed): the
 * events added between two `state()` calls are one batch, folded exactly as reduceEvents folds them, and none of
 * them has to be held until the batch ends.
 */
export class EventFold {
  private draft: BatchDraft | null = null

  constructor(private base: InspectorState) {}

  add(event: InspectionEvent): void {
    const draft = (this.draft ??= new BatchDraft(this.base))
    if (event.seq <= draft.next.lastSeq) return
    draft.next.lastSeq = event.seq
    draft.next.eventCount += 1
    apply(draft, event)
  }

  /** The state after every event added so far. It is never mutated: the next `add` starts a new batch. */
  state(): InspectorState {
    if (this.draft !== null) {
      if (this.draft.next.eventCount !== this.base.eventCount) this.base = this.draft.next
      this.draft = null
    }
    return this.base
  }
}

function apply(draft: BatchDraft, event: InspectionEvent): void {
  const s = draft.next
  switch (event.kind) {
    case 'phase_transition': {
      // A new start-up attempt: the previous attempt's failure and checks no longer describe the machine.
      if (event.to === 'initialization') {
        s.phase.failure = null
        s.contracts = {}
      }
      s.phase.current = event.to
      draft.push(s.phase, 'history', { seq: event.seq, ts: event.ts, from: event.from, to: event.to })
      return
    }
    case 'phase_failed': {
      s.phase.failure = { seq: event.seq, ts: event.ts, phase: event.phase, error: event.error }
      recordError(draft, event, 'phase_failed', event.error, event.error.chain ?? [])
      return
    }
    case 'contract_check': {
      const { contract, ok, enforced, findings, seq } = event
      s.contracts[contract] = { seq, contract, ok, enforced, findings, phase: s.phase.current }
      return
    }
    case 'module_loaded': {
      draft.modules()[event.module] = {
        seq: event.seq,
        module: event.module,
        chain: event.chain,
        status: 'loaded',
        error: null
      }
      return
    }
    case 'module_failed': {
      const { seq, module, chain, error } = event
      draft.modules()[module] = { seq, module, chain, status: 'failed', error }
      recordError(draft, event, 'module_failed', error, chain)
      return
    }
    case 'manager_created': {
      s.factory.created += 1
      s.factory.managers[event.manager_id] = draft.adopt({
        manager_id: event.manager_id,
        mode: event.mode,
        context: event.context,
        caller: event.caller,
        createdSeq: event.seq,
        connections: {},
        emitted: 0,
        delivered: 0
      })
      return
    }
    case 'manager_rejected': {
      s.factory.rejected += 1
      const { seq, ts, caller, call, error } = event
      draft.push(s.factory, 'rejections', { seq, ts, caller, call, error })
      recordError(draft, event, 'manager_rejected', error, error.chain ?? [])
      return
    }
    case 'manager_closed': {
      s.factory.closed += 1
      delete s.factory.managers[event.manager_id]
      return
    }
    case 'user_connected': {
      const user = ensureUser(draft, event.context.user_id, event.context)
      const previousManager = user.manager_id
      if (previousManager !== null && user.connection_id !== null) {
        const old = draft.manager(previousManager)
        if (old !== undefined) delete old.connections[user.connection_id]
      }
      user.connection_id = event.connection_id
      user.manager_id = event.manager_id
      user.connected = true
      user.disconnect = null
      user.cutOff = null
      const manager = draft.manager(event.manager_id)
      if (manager !== undefined) manager.connections[event.connection_id] = event.context.user_id
      return
    }
    case 'user_disconnected': {
      const user = ensureUser(draft, event.user_id, null)
      user.connected = false
      user.disconnect = { code: event.code, reason: event.reason }
      detachConnection(draft, event.connection_id, user.manager_id)
      forgetOldDisconnectedUsers(draft)
      return
    }
    case 'user_cut_off': {
      const user = ensureUser(draft, event.user_id, null)
      user.cutOff = {
        seq: event.seq,
        code: event.code,
        reason: event.reason,
        bufferedBytes: event.buffered_bytes
      }
      return
    }
    case 'run_started': {
      const user = ensureUser(draft, event.context.user_id, event.context)
      user.context = event.context
      user.runsStarted += 1
      return
    }
    case 'run_completed': {
      ensureUser(draft, event.user_id, null).runsCompleted += 1
      return
    }
    case 'agent_event_emitted': {
      const manager = draft.manager(event.manager_id)
      if (manager !== undefined) manager.emitted += 1
      return
    }
    case 'agent_event_delivered': {
      deliver(draft, event)
      return
    }
    case 'isolation_violation': {
      s.violations.total += 1
      draft.push(s.violations, 'recent', event)
      ensureUser(draft, event.receiver_user_id, null).violationsReceived += 1
      ensureUser(draft, event.owner_user_id, null).violationsLeaked += 1
      markViolation(draft, event.receiver_user_id, event.event_id)
      noteTargetViolation(s, event)
      return
    }
    case 'events_missing':
    case 'events_out_of_order': {
      s.missing.total += 1
      draft.push(s.missing, 'recent', event)
      ensureUser(draft, event.user_id, null).missingReports += 1
      return
    }
    case 'warning': {
      s.warnings.total += 1
      draft.push(s.warnings, 'recent', event)
      return
    }
    case 'frame_rejected': {
      const who = event.user_id ?? event.connection_id
      recordError(
        draft,
        event,
        'frame_rejected',
        { type: 'FrameRejected', message: `${who}: ${event.problem}` },
        []
      )
      return
    }
    case 'scenario_step': {
      draft.push(s, 'scenarioSteps', event)
      return
    }
    case 'target_started': {
      applyTargetStarted(s, event)
      return
    }
    case 'canary_leak': {
      applyCanaryLeak(draft, event, ensureUser(draft, event.receiver_user_id, null))
      return
    }
    case 'target_frame_unparsed': {
      applyUnparsedFrame(draft, event, ensureUser(draft, event.receiver_user_id, null))
      return
    }
    case 'target_owner_unreadable': {
      applyUnreadableOwner(draft, event, ensureUser(draft, event.receiver_user_id, null))
      return
    }
    case 'observed_leak': {
      ensureUser(draft, event.owner_user_id, null)
      applyObservedLeak(event, ensureUser(draft, event.receiver_user_id, null))
      markLeakedFrame(draft, event)
      noteObservedLeak(s, event)
      return
    }
    case 'observed_frame':
      if (event.user_id !== null) applyObservedFrame(draft, event, ensureUser(draft, event.user_id, null))
      return
    case 'observe_started':
      applyObserveStarted(s, event)
      return
    case 'observed_connection':
      applyObservedConnection(s, event)
      return
    case 'observed_closed':
      applyObservedClosed(s, event)
      return
  }
}

function deliver(draft: BatchDraft, event: InspectionEventOf<'agent_event_delivered'>): void {
  const receiver = ensureUser(draft, event.receiver_user_id, null)
  const canary = takePendingCanary(receiver, event, draft.next.target)
  receiver.delivered += 1
  receiver.deliveredByType[event.type] += 1
  addLatency(receiver.deliveryLatency, event.latency_ms)
  if (event.owner_user_id === event.receiver_user_id) trackRunLatency(receiver, event)
  if (receiver.manager_id !== null) {
    const manager = draft.manager(receiver.manager_id)
    if (manager !== undefined) manager.delivered += 1
  }

  const lane = draft.lane(event.receiver_user_id)
  if (lane === undefined) return
  const entry: LaneEntry = {
    kind: 'agent',
    seq: event.seq,
    ts: event.ts,
    event_id: event.event_id,
    type: event.type,
    run_id: event.run_id,
    owner_user_id: event.owner_user_id,
    latency_ms: event.latency_ms,
    violation: event.owner_user_id !== event.receiver_user_id,
    canary
  }
  const evicted = draft.push(lane, 'entries', entry)
  if (evicted !== undefined) foldIntoSummary(lane.summary, evicted)
}

/** Counts an entry pushed out of a lane's ring, so totals survive the bound. */
export function foldIntoSummary(summary: LaneSummary, entry: LaneEntry): void {
  summary.folded += 1
  if (entry.kind === 'frame') {
    if (entry.violation) summary.foldedViolations += 1
    return
  }
  summary.foldedByType[entry.type] += 1
  if (entry.violation || entry.canary !== null) summary.foldedViolations += 1
}

/** Run latency = emission of agent_started (its delivery time minus its latency) to delivery of agent_completed. */
function trackRunLatency(user: UserView, event: InspectionEventOf<'agent_event_delivered'>): void {
  if (event.type === 'agent_started') {
    user.openRuns[event.run_id] = event.ts - event.latency_ms
    const open = Object.keys(user.openRuns)
    for (let i = 0; i < open.length - LIMITS.openRunsPerUser; i += 1) delete user.openRuns[open[i] as string]
    return
  }
  if (event.type !== 'agent_completed') return
  const startedAt = user.openRuns[event.run_id]
  if (startedAt === undefined) return
  delete user.openRuns[event.run_id]
  addLatency(user.runLatency, event.ts - startedAt)
}

function addLatency(stats: LatencyStats, ms: number): void {
  stats.count += 1
  stats.last = ms
  stats.total += ms
  if (ms > stats.max) stats.max = ms
}

function markViolation(draft: BatchDraft, receiverId: string, eventId: string): void {
  const current = draft.next.lanes[receiverId]
  if (current === undefined) return
  const stop = Math.max(0, current.entries.size - VIOLATION_LOOKBACK)
  for (let i = current.entries.size - 1; i >= stop; i -= 1) {
    const entry = ringAt(current.entries, i)
    if (entry?.kind !== 'agent' || entry.event_id !== eventId) continue
    if (entry.violation) return
    const lane = draft.lane(receiverId)
    if (lane !== undefined) ringSet(lane.entries, i, { ...entry, violation: true })
    return
  }
}

export function ensureUser(draft: BatchDraft, userId: string, context: ContextIds | null): UserView {
  const existing = draft.user(userId)
  if (existing !== undefined) {
    if (existing.context === null && context !== null) existing.context = context
    return existing
  }
  const s = draft.next
  const user: UserView = draft.adopt({
    user_id: userId,
    context,
    connection_id: null,
    manager_id: null,
    connected: false,
    disconnect: null,
    cutOff: null,
    order: s.userOrder,
    runsStarted: 0,
    runsCompleted: 0,
    delivered: 0,
    deliveredByType: emptyByType(),
    violationsReceived: 0,
    violationsLeaked: 0,
    missingReports: 0,
    deliveryLatency: emptyLatency(),
    runLatency: emptyLatency(),
    openRuns: {},
    canaryLeaksReceived: 0,
    canaryFrom: {},
    unparsedFrames: 0,
    unreadableOwners: 0,
    pendingCanary: null,
    observedLeaksReceived: 0,
    leakFrom: {},
    framesSent: 0
  })
  s.userOrder += 1
  s.users[userId] = user
  s.lanes[userId] = draft.adopt({
    user_id: userId,
    entries: draft.adopt(createRing<LaneEntry>(s.laneCapacity)),
    summary: { folded: 0, foldedByType: emptyByType(), foldedViolations: 0, summarised: 0 }
  })
  return user
}

function detachConnection(draft: BatchDraft, connectionId: string, managerId: string | null): void {
  const candidates = managerId !== null ? [managerId] : Object.keys(draft.next.factory.managers)
  for (const id of candidates) {
    if (draft.next.factory.managers[id]?.connections[connectionId] === undefined) continue
    const manager = draft.manager(id)
    if (manager !== undefined) delete manager.connections[connectionId]
  }
}

function forgetOldDisconnectedUsers(draft: BatchDraft): void {
  const s = draft.next
  // A target run's users stay until the next target run replaces them (at most the app's cap of them).
  const disconnected = Object.values(s.users).filter((user) => !user.connected && !isTargetUser(user))
  if (disconnected.length <= LIMITS.disconnectedUsers) return
  disconnected.sort((a, b) => a.order - b.order)
  for (const user of disconnected.slice(0, disconnected.length - LIMITS.disconnectedUsers)) {
    delete s.users[user.user_id]
    delete s.lanes[user.user_id]
  }
}

function recordError(
  draft: BatchDraft,
  event: InspectionEvent,
  source: ErrorReport['source'],
  error: ErrorInfo,
  chain: string[]
): void {
  const s = draft.next
  s.errors.total += 1
  const site = error.site !== undefined ? ` (${error.site})` : ''
  draft.push(s.errors, 'recent', {
    seq: event.seq,
    ts: event.ts,
    source,
    message: `${error.type}: ${error.message}${site}`,
    chain
  })
}
