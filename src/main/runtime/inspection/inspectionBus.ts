import type { InspectionDraft, InspectionEvent } from '../../../shared/inspection'

export type InspectionListener = (event: InspectionEvent) => void
/** Receives each event as its NDJSON line (no newline): serialized once by the bus, shared by every consumer. */
export type InspectionLineListener = (line: string, event: InspectionEvent) => void

export interface InspectionBusOptions {
  /** How many events the bus keeps for late subscribers (the UI's hello). Older ones stay in recordings only. */
  historyLimit?: number
  /** Clock; tests and deterministic replays may pin it. */
  now?: () => number
}

/**
 * The one ordered stream of everything the runtime does. Producers emit drafts; the bus stamps a sequence number
 * and a timestamp, serializes the event once, and keeps the last `historyLimit` lines in a ring.
 *
 * History holds lines, not objects: under a flood, a hundred thousand retained object graphs made the garbage
 * collector the runtime's biggest cost, while flat strings are cheap to keep; and the line is what the recorder
 * writes anyway. Listeners run synchronously, so they must be cheap (transports batch on their side).
 */
export class InspectionBus {
  private seq = 0
  private readonly listeners = new Set<InspectionListener>()
  private readonly lineListeners = new Set<InspectionLineListener>()
  private readonly ring: string[] = []
  private ringStart = 0
  private readonly historyLimit: number
  private readonly now: () => number
  private parsedCache: { seq: number; events: InspectionEvent[] } | null = null

  constructor(options: InspectionBusOptions = {}) {
    this.historyLimit = options.historyLimit ?? 100_000
    this.now = options.now ?? Date.now
  }

  /** The bus takes the draft over: it is stamped in place rather than copied, as every producer passes a fresh literal. */
  emit(draft: InspectionDraft): InspectionEvent {
    const event = draft as InspectionEvent
    event.seq = this.seq++
    event.ts = this.now()
    const line = JSON.stringify(event)
    if (this.ring.length < this.historyLimit) this.ring.push(line)
    else {
      this.ring[this.ringStart] = line
      this.ringStart = (this.ringStart + 1) % this.historyLimit
    }
    for (const listener of this.listeners) listener(event)
    for (const listener of this.lineListeners) listener(line, event)
    return event
  }

  subscribe(listener: InspectionListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  subscribeLines(listener: InspectionLineListener): () => void {
    this.lineListeners.add(listener)
    return () => this.lineListeners.delete(listener)
  }

  /** The retained events as NDJSON lines, oldest first. */
  snapshotLines(): string[] {
    return [...this.ring.slice(this.ringStart), ...this.ring.slice(0, this.ringStart)]
  }

  /** The retained events, oldest first (parsed from the lines; cached until the next event). */
  snapshot(): InspectionEvent[] {
    if (this.parsedCache?.seq !== this.seq) {
      this.parsedCache = {
        seq: this.seq,
        events: this.snapshotLines().map((line) => JSON.parse(line) as InspectionEvent)
      }
    }
    return [...this.parsedCache.events]
  }

  get emitted(): number {
    return this.seq
  }
}
