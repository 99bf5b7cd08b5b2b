import type { InspectionEvent, InspectionEventOf, InspectionKind } from '../../../shared/inspection'
import { emptyUserSummary, type PushSummary, type UserSummary } from '../../../shared/pushSummary'

/** What a behind tab gets once it catches up: the events kept for it, then the counts of the rest. */
export interface Summarised {
  /** Each kept event's JSON, in seq order. */
  kept: string[]
  summary: PushSummary | null
}

/**
 * Folds the `events` pushes a tab is too far behind to take into one pending summary. Runs and agent events
 * delivered to their own user (the flood) become per-user counts; every other event is kept as it is, up to
 * `keepBytes` of JSON for the kinds a summary counts per user (violations, missing events) and as much again for
 * the rest, and counted past that, so memory stays bounded however long the tab lags. The cost (one
 * parse per push) is paid only while the tab is behind.
 */
export class PushSummarizer {
  private kept: string[] = []
  /** JSON kept, per budget: the countable kinds cannot crowd out the rest (lifecycle, warnings, errors). */
  private keptCountable = 0
  private keptOther = 0
  private summary: PushSummary | null = null
  /** Events at or below this seq reached the tab in a hello (reply or reset push): not counted again. */
  private floor = -1

  constructor(private readonly keepBytes: number) {}

  get pending(): boolean {
    return this.summary !== null || this.kept.length > 0
  }

  /** The tab got a history up to `seq`: what is pending is in it (or belongs to a runtime it replaced). */
  coveredUpTo(seq: number): void {
    this.take()
    this.floor = seq
  }

  /** An `events` push as the host sends it: `{"type":"events","events":[...]}`. */
  add(push: Uint8Array): void {
    // The bus's own lines, written from schema-typed drafts; the renderer checks them again where they land.
    const { events } = JSON.parse(
      Buffer.from(push.buffer, push.byteOffset, push.byteLength).toString('utf8')
    ) as {
      events: InspectionEvent[]
    }
    for (const event of events) if (event.seq > this.floor) this.addEvent(event)
  }

  take(): Summarised {
    const taken = { kept: this.kept, summary: this.summary }
    this.kept = []
    this.keptCountable = 0
    this.keptOther = 0
    this.summary = null
    return taken
  }

  private addEvent(event: InspectionEvent): void {
    switch (event.kind) {
      case 'agent_event_emitted': {
        const summary = this.counted(event.seq)
        userIn(summary, event.user_id).emitted += 1
        summary.managers[event.manager_id] = (summary.managers[event.manager_id] ?? 0) + 1
        return
      }
      case 'agent_event_delivered':
        if (event.owner_user_id === event.receiver_user_id || !this.keep(event)) this.countDelivery(event)
        return
      case 'run_started':
        userIn(this.counted(event.seq), event.context.user_id).runs_started += 1
        return
      case 'run_completed':
        userIn(this.counted(event.seq), event.user_id).runs_completed += 1
        return
      default:
        if (!this.keep(event)) this.countUnkept(event)
    }
  }

  private countDelivery(event: InspectionEventOf<'agent_event_delivered'>): void {
    const user = userIn(this.counted(event.seq), event.receiver_user_id)
    user.delivered[event.type] = (user.delivered[event.type] ?? 0) + 1
    if (event.owner_user_id !== event.receiver_user_id) user.delivered_foreign += 1
    user.latency_total_ms += event.latency_ms
    user.latency_max_ms = Math.max(user.latency_max_ms, event.latency_ms)
  }

  /** An event that would have been kept, had there been room. */
  private countUnkept(event: InspectionEvent): void {
    const summary = this.counted(event.seq)
    switch (event.kind) {
      case 'isolation_violation':
        userIn(summary, event.receiver_user_id).violations_received += 1
        userIn(summary, event.owner_user_id).violations_leaked += 1
        return
      case 'events_missing':
      case 'events_out_of_order':
        userIn(summary, event.user_id).missing_reports += 1
        return
      default:
        summary.other[event.kind] = (summary.other[event.kind] ?? 0) + 1
    }
  }

  private keep(event: InspectionEvent): boolean {
    const text = JSON.stringify(event)
    const countable = COUNTABLE.includes(event.kind)
    const used = countable ? this.keptCountable : this.keptOther
    if (used + text.length > this.keepBytes) return false
    this.kept.push(text)
    if (countable) this.keptCountable += text.length
    else this.keptOther += text.length
    return true
  }

  /** The pending summary, with one more event at `seq` counted in it. */
  private counted(seq: number): PushSummary {
    // Keyed by ids from the stream: no prototype, so a user called __proto__ is just a key.
    this.summary ??= {
      from_seq: seq,
      to_seq: seq,
      events: 0,
      users: Object.create(null) as PushSummary['users'],
      managers: Object.create(null) as PushSummary['managers'],
      other: {}
    }
    this.summary.events += 1
    this.summary.to_seq = seq
    return this.summary
  }
}

/** Kinds kept while there is room, and counted per user past it (a flood of violations is one of these). */
const COUNTABLE: readonly InspectionKind[] = Object.freeze([
  'agent_event_delivered',
  'isolation_violation',
  'events_missing',
  'events_out_of_order'
])

function userIn(summary: PushSummary, userId: string): UserSummary {
  let user = summary.users[userId]
  if (user === undefined) {
    user = emptyUserSummary()
    summary.users[userId] = user
  }
  return user
}
