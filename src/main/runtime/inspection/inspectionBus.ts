import type { InspectionDraft, InspectionEvent } from '../../../shared/inspection'

export type InspectionListener = (event: InspectionEvent) => void

export interface InspectionBusOptions {
  /** How many events the bus keeps for late subscribers (the UI's hello). Older ones stay in recordings only. */
  historyLimit?: number
  /** Clock; tests and deterministic replays may pin it. */
  now?: () => number
}

/**
 * The one ordered stream of everything the runtime does. Producers emit drafts; the bus stamps a sequence number
 * and a timestamp. Listeners run synchronously, so they must be cheap (transports batch on their side).
 */
export class InspectionBus {
  private seq = 0
  private readonly listeners = new Set<InspectionListener>()
  private readonly history: InspectionEvent[] = []
  private historyStart = 0
  private readonly historyLimit: number
  private readonly now: () => number

  constructor(options: InspectionBusOptions = {}) {
    this.historyLimit = options.historyLimit ?? 100_000
    this.now = options.now ?? Date.now
  }

  emit(draft: InspectionDraft): InspectionEvent {
    const event = { ...draft, seq: this.seq++, ts: this.now() } as InspectionEvent
    this.history.push(event)
    if (this.history.length - this.historyStart > this.historyLimit) this.trimHistory()
    for (const listener of this.listeners) listener(event)
    return event
  }

  subscribe(listener: InspectionListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The retained events, oldest first. */
  snapshot(): InspectionEvent[] {
    return this.history.slice(this.historyStart)
  }

  get emitted(): number {
    return this.seq
  }

  // Amortised trimming: splice once the dead prefix is as long as the limit, not on every emit.
  private trimHistory(): void {
    this.historyStart += 1
    if (this.historyStart >= this.historyLimit) {
      this.history.splice(0, this.historyStart)
      this.historyStart = 0
    }
  }
}
