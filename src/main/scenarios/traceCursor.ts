import type { InspectionEvent } from '../../shared/inspection'
import type { WhyBinding } from '../../shared/scenarioResult'

/**
 * A position in one run's trace, for stepping through it as the UI does: forward, back, to a seq, to a why.
 * Positions are indexes into the trace; -1 is "before the first event".
 */
export class TraceCursor {
  private index = -1

  constructor(
    readonly trace: readonly InspectionEvent[],
    private readonly whys: readonly WhyBinding[] = [],
    private readonly run?: string
  ) {}

  get position(): number {
    return this.index
  }

  get current(): InspectionEvent | null {
    return this.trace[this.index] ?? null
  }

  /** The events up to and including the current one: what the views show at this step. */
  get seen(): readonly InspectionEvent[] {
    return this.trace.slice(0, this.index + 1)
  }

  get atEnd(): boolean {
    return this.index >= this.trace.length - 1
  }

  forward(steps = 1): InspectionEvent | null {
    this.index = Math.min(this.trace.length - 1, this.index + steps)
    return this.current
  }

  back(steps = 1): InspectionEvent | null {
    this.index = Math.max(-1, this.index - steps)
    return this.current
  }

  reset(): void {
    this.index = -1
  }

  /** Moves to the event with this seq; throws when the trace has none, naming the range it has. */
  jumpToSeq(seq: number): InspectionEvent {
    const index = this.trace.findIndex((event) => event.seq === seq)
    if (index < 0) {
      const range = this.trace.length > 0 ? `${this.trace[0]?.seq}..${this.trace.at(-1)?.seq}` : 'none'
      throw new Error(`no event with seq ${seq} in this trace (seqs ${range})`)
    }
    this.index = index
    return this.trace[index] as InspectionEvent
  }

  /** Moves to the step that proves why `whyIndex` (1..5); throws when that why is unbound or about another run. */
  jumpToWhy(whyIndex: number): InspectionEvent {
    const why = this.whys.find((candidate) => candidate.index === whyIndex)
    if (!why) throw new Error(`no why ${whyIndex}; a scenario has whys 1 to 5`)
    if (this.run !== undefined && why.run !== this.run) {
      throw new Error(
        `why ${whyIndex} is proved in the ${why.run} trace, not in ${this.run}; open that run's cursor`
      )
    }
    if (why.seq === null) throw new Error(why.problem ?? `why ${whyIndex} is not bound: its run was not made`)
    return this.jumpToSeq(why.seq)
  }
}
