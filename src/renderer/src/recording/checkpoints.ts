import type { InspectorState } from '../store'

/** Fewest events between two checkpoints: below this the states cost more than folding the events does. */
export const MIN_CHECKPOINT_EVERY = 1_000
/** Most checkpoints kept, whatever the recording's size: past it every other one goes and the spacing doubles. */
export const MAX_CHECKPOINTS = 256
/**
 * Most lane entries the checkpoints may hold between them. States share what their events did not touch, but lanes
 * (500 entries a user by default) are most of a state: once the checkpoints would hold more entries than this, they
 * are thinned like past MAX_CHECKPOINTS. Opening 1 GB (4.2M events, 100 users) the indexing worker's heap was 126 MB
 * with a million, 247 MB with two (34 MB of it byte offsets): this keeps it near 190 MB, and the renderer under 300.
 */
export const MAX_RETAINED_LANE_ENTRIES = 1_500_000

interface Checkpoint {
  state: InspectorState
  /** Deliveries folded up to it, and entries in its lanes: what it holds that earlier checkpoints do not. */
  delivered: number
  laneEntries: number
}

/**
 * Reducer states at every `every`-th event of a recording (the first is the base state, before any event), so the
 * state at any cursor is a checkpoint plus at most `every` events folded. The spacing starts at
 * MIN_CHECKPOINT_EVERY and doubles whenever the count would pass MAX_CHECKPOINTS or their lanes
 * MAX_RETAINED_LANE_ENTRIES, so memory stays bounded however long the recording.
 */
export class Checkpoints {
  private kept: Checkpoint[]
  private spacing = MIN_CHECKPOINT_EVERY

  constructor(base: InspectorState) {
    this.kept = [measure(base)]
  }

  get every(): number {
    return this.spacing
  }

  get count(): number {
    return this.kept.length
  }

  /** Events until the next checkpoint is due, for a fold that has applied `applied` events. */
  dueIn(applied: number): number {
    return this.kept.length * this.spacing - applied
  }

  /** Offers the state after `applied` events; kept when a checkpoint is due there. */
  offer(applied: number, state: InspectorState): void {
    if (applied !== this.kept.length * this.spacing) return
    this.kept.push(measure(state))
    while (
      this.kept.length > 2 &&
      (this.kept.length > MAX_CHECKPOINTS || this.retained() > MAX_RETAINED_LANE_ENTRIES)
    ) {
      this.kept = this.kept.filter((_, index) => index % 2 === 0)
      this.spacing *= 2
    }
  }

  /** The last checkpoint at or before `cursor`: its state and the events it has applied. */
  before(cursor: number): { applied: number; state: InspectorState } {
    const index = Math.min(this.kept.length - 1, Math.floor(cursor / this.spacing))
    return { applied: index * this.spacing, state: (this.kept[index] as Checkpoint).state }
  }

  /** Lane entries held by the checkpoints: each holds its lanes, less what the one before already holds. */
  private retained(): number {
    let total = 0
    for (let index = 1; index < this.kept.length; index++) {
      const { delivered, laneEntries } = this.kept[index] as Checkpoint
      total += Math.min(laneEntries, delivered - (this.kept[index - 1] as Checkpoint).delivered)
    }
    return total
  }
}

function measure(state: InspectorState): Checkpoint {
  let delivered = 0
  for (const user of Object.values(state.users)) delivered += user.delivered
  let laneEntries = 0
  for (const lane of Object.values(state.lanes)) laneEntries += lane.entries.size
  return { state, delivered, laneEntries }
}
