import type { InspectionEvent } from '../../../shared/inspection'
import { reduceEvents } from './reducer'
import type { InspectorState } from './state'

/** A snapshot is kept every this many events, so moving the cursor anywhere folds at most this many. */
const CHECKPOINT_EVERY = 1_000

/**
 * A fixed list of events (a recording, a scenario trace) seen through the live reducer at any cursor: the state
 * after the first `cursor` events. Snapshots are taken lazily as the cursor first passes them; the reducer shares
 * untouched objects between states, so a snapshot costs what its batch changed.
 */
export class Timeline {
  private readonly checkpoints: InspectorState[]

  constructor(
    readonly events: readonly InspectionEvent[],
    base: InspectorState
  ) {
    this.checkpoints = [base]
  }

  get length(): number {
    return this.events.length
  }

  stateAt(cursor: number): InspectorState {
    const at = Math.max(0, Math.min(this.events.length, Math.floor(cursor)))
    const index = Math.floor(at / CHECKPOINT_EVERY)
    while (this.checkpoints.length <= index) {
      const k = this.checkpoints.length
      const previous = this.checkpoints[k - 1] as InspectorState
      const batch = this.events.slice((k - 1) * CHECKPOINT_EVERY, k * CHECKPOINT_EVERY)
      this.checkpoints.push(reduceEvents(previous, batch))
    }
    const checkpoint = this.checkpoints[index] as InspectorState
    return reduceEvents(checkpoint, this.events.slice(index * CHECKPOINT_EVERY, at))
  }

  /** The event the cursor last applied, if any. */
  eventAt(cursor: number): InspectionEvent | null {
    return cursor > 0 ? (this.events[cursor - 1] ?? null) : null
  }

  /** The cursor that has just applied the event with this seq, or null when the list has none. */
  cursorOfSeq(seq: number): number | null {
    const index = this.events.findIndex((event) => event.seq === seq)
    return index < 0 ? null : index + 1
  }
}
