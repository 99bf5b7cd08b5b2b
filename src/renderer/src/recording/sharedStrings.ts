import type { InspectionEvent } from '../../../shared/inspection'

/** Distinct strings remembered at most; past it the table starts over (it only saves memory, never changes a value). */
const MAX_STRINGS = 65_536

/**
 * One string object for each id a delivery repeats. JSON.parse makes a new string for every id of every line, and
 * checkpoints keep the lanes' deliveries: a user's id, a run's id and the event type then cost once, not once per
 * lane entry.
 */
export class SharedStrings {
  private readonly strings = new Map<string, string>()

  /** The event, its repeated ids replaced by the shared copies (the values are equal). */
  shareIn(event: InspectionEvent): InspectionEvent {
    if (event.kind !== 'agent_event_delivered') return event
    event.owner_user_id = this.share(event.owner_user_id)
    event.receiver_user_id = this.share(event.receiver_user_id)
    event.run_id = this.share(event.run_id)
    return event
  }

  private share(text: string): string {
    const known = this.strings.get(text)
    if (known !== undefined) return known
    if (this.strings.size >= MAX_STRINGS) this.strings.clear()
    this.strings.set(text, text)
    return text
  }
}
