import type { InspectionEvent, InspectionKind } from '../../shared/inspection'
import type { LeakPair } from '../target/targetReport'

export interface RecordingFilter {
  /** Only events of these kinds (none given: every kind). */
  kinds?: readonly InspectionKind[]
  /** Only events that name this user: as owner, receiver, canary owner, or in their context. */
  userId?: string
  /** Only leaks: isolation_violation, canary_leak and observed_leak. */
  violationsOnly: boolean
  /** How many matching events to keep (the first ones). */
  limit: number
}

/** Leak pairs tracked one by one; any further pair is only counted, so memory stays bounded on any file. */
export const TRACKED_LEAK_PAIRS = 10_000
/** Leak pairs shown, the largest first. */
export const SHOWN_LEAK_PAIRS = 50

const VIOLATION_KINDS: readonly InspectionKind[] = ['isolation_violation', 'canary_leak', 'observed_leak']

/**
 * What read_recording says of a recording, built one event at a time in bounded memory: counts by kind, the leaks
 * by pair (owner -> receiver, by ids and by canary, from load, target and observe recordings alike), and the first
 * `limit` events that match the filter.
 */
export class RecordingDigest {
  events = 0
  readonly byKind: Partial<Record<InspectionKind, number>> = {}
  violations = 0
  canaryLeaks = 0
  observedLeaks = 0
  matched = 0
  readonly shown: InspectionEvent[] = []
  private firstTs: number | null = null
  private lastTs: number | null = null
  private readonly pairs = new Map<string, LeakPair>()
  private untrackedLeakEvents = 0

  constructor(private readonly filter: RecordingFilter) {}

  add(event: InspectionEvent): void {
    this.events += 1
    this.byKind[event.kind] = (this.byKind[event.kind] ?? 0) + 1
    this.firstTs ??= event.ts
    this.lastTs = event.ts
    if (event.kind === 'isolation_violation') {
      this.violations += 1
      const pair = this.pair(event.owner_user_id, event.receiver_user_id)
      if (pair) pair.events += 1
    } else if (event.kind === 'canary_leak') {
      this.canaryLeaks += 1
      const pair = this.pair(event.canary_user_id, event.receiver_user_id)
      if (pair) pair.canaryFrames += 1
    } else if (event.kind === 'observed_leak') {
      this.observedLeaks += 1
      const pair = this.pair(event.owner_user_id, event.receiver_user_id)
      if (pair && event.by === 'canary') pair.canaryFrames += 1
      else if (pair) pair.events += 1
    }
    if (!this.matches(event)) return
    this.matched += 1
    if (this.shown.length < this.filter.limit) this.shown.push(event)
  }

  summary() {
    const leaks = [...this.pairs.values()]
      .sort((a, b) => b.events + b.canaryFrames - (a.events + a.canaryFrames) || a.from.localeCompare(b.from))
      .slice(0, SHOWN_LEAK_PAIRS)
    return {
      events: this.events,
      byKind: this.byKind,
      timeMs: { first: this.firstTs, last: this.lastTs },
      violations: this.violations,
      canaryLeaks: this.canaryLeaks,
      observedLeaks: this.observedLeaks,
      leakPairs: this.pairs.size,
      leakEventsBeyondTrackedPairs: this.untrackedLeakEvents,
      leaks,
      matched: this.matched,
      shown: this.shown
    }
  }

  private matches(event: InspectionEvent): boolean {
    const { kinds, userId, violationsOnly } = this.filter
    if (violationsOnly && !VIOLATION_KINDS.includes(event.kind)) return false
    if (kinds && kinds.length > 0 && !kinds.includes(event.kind)) return false
    return userId === undefined || names(event, userId)
  }

  private pair(from: string, to: string): LeakPair | null {
    const key = `${from}\u0000${to}`
    let pair = this.pairs.get(key)
    if (pair) return pair
    if (this.pairs.size >= TRACKED_LEAK_PAIRS) {
      this.untrackedLeakEvents += 1
      return null
    }
    pair = { from, to, events: 0, canaryFrames: 0 }
    this.pairs.set(key, pair)
    return pair
  }
}

/** Whether the event names the user in any of the fields events use for users. */
function names(event: InspectionEvent, userId: string): boolean {
  if ('user_id' in event && event.user_id === userId) return true
  if ('owner_user_id' in event && event.owner_user_id === userId) return true
  if ('receiver_user_id' in event && event.receiver_user_id === userId) return true
  if ('canary_user_id' in event && event.canary_user_id === userId) return true
  return 'context' in event && event.context !== null && event.context.user_id === userId
}
