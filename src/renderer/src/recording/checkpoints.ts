import type { InspectorState } from '../store'

/** Fewest events between two checkpoints: below this the states cost more than folding the events does. */
export const MIN_CHECKPOINT_EVERY = 1_000
/** Most checkpoints kept, whatever the recording's size: past it every other one goes and the spacing doubles. */
export const MAX_CHECKPOINTS = 256

/**
 * Reducer states at every `every`-th event of a recording (the first is the base state, before any event), so the
 * state at any cursor is a checkpoint plus at most `every` events folded. The spacing starts at
 * MIN_CHECKPOINT_EVERY and doubles whenever the count would pass MAX_CHECKPOINTS, so memory stays bounded however
 * long the recording: states share every object their events did not touch, so a checkpoint costs what changed.
 */
export class Checkpoints {
  private states: InspectorState[]
  private spacing = MIN_CHECKPOINT_EVERY

  constructor(base: InspectorState) {
    this.states = [base]
  }

  get every(): number {
    return this.spacing
  }

  get count(): number {
    return this.states.length
  }

  /** Events until the next checkpoint is due, for a fold that has applied `applied` events. */
  dueIn(applied: number): number {
    return this.states.length * this.spacing - applied
  }

  /** Offers the state after `applied` events; kept when a checkpoint is due there. */
  offer(applied: number, state: InspectorState): void {
    if (applied !== this.states.length * this.spacing) return
    this.states.push(state)
    if (this.states.length > MAX_CHECKPOINTS) {
      this.states = this.states.filter((_, index) => index % 2 === 0)
      this.spacing *= 2
    }
  }

  /** The last checkpoint at or before `cursor`: its state and the events it has applied. */
  before(cursor: number): { applied: number; state: InspectorState } {
    const index = Math.min(this.states.length - 1, Math.floor(cursor / this.spacing))
    return { applied: index * this.spacing, state: this.states[index] as InspectorState }
  }
}
