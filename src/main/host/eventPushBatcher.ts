import type { PushText } from '../../shared/inspectorApi'
import type { InspectionBus } from '../runtime/inspection/inspectionBus'

const NEWLINE = 0x0a
const COMMA = 0x2c
const INITIAL_BYTES = 256 * 1024

export interface EventPushBatcherOptions {
  /** A push is sent once it holds this many events... */
  maxEvents: number
  /** ...or this long after its first event, whichever comes first. */
  flushMs: number
}

/**
 * Gathers the inspection stream into `events` pushes, straight from the bytes the bus's history ring encoded:
 * each run of NDJSON lines is copied once into a staging buffer, with commas in place of the newlines, and a push
 * is decoded from it in one call. No line is held as a string while the batch fills, and none is serialized or
 * joined again. (A newline byte only ever separates lines: JSON escapes control characters, and UTF-8 never uses
 * 0x0a inside a multi-byte character.)
 */
export class EventPushBatcher {
  private staging = Buffer.allocUnsafe(INITIAL_BYTES)
  private length = 0
  private events = 0
  private timer: NodeJS.Timeout | null = null
  private readonly unsubscribe: () => void

  constructor(
    private readonly bus: InspectionBus,
    private readonly send: (push: PushText) => void,
    private readonly options: EventPushBatcherOptions
  ) {
    this.unsubscribe = bus.subscribeBytes((bytes, lines) => this.add(bytes, lines))
  }

  /** Sends what is gathered now, the bus's not-yet-encoded lines included. */
  flush(): void {
    this.bus.flushBytes()
    this.sendGathered()
  }

  close(): void {
    this.flush()
    this.unsubscribe()
  }

  private add(bytes: Buffer, lines: number): void {
    const needed = this.length + bytes.length + 1
    if (needed > this.staging.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.staging.length * 2))
      this.staging.copy(grown, 0, 0, this.length)
      this.staging = grown
    }
    if (this.length > 0) this.staging[this.length++] = COMMA
    const start = this.length
    this.length += bytes.copy(this.staging, start)
    for (let at = this.staging.indexOf(NEWLINE, start); at >= 0 && at < this.length;) {
      this.staging[at] = COMMA
      at = this.staging.indexOf(NEWLINE, at + 1)
    }
    this.events += lines
    if (this.events >= this.options.maxEvents) this.sendGathered()
    else this.timer ??= setTimeout(() => this.sendGathered(), this.options.flushMs)
  }

  private sendGathered(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.events === 0) return
    const events = this.staging.toString('utf8', 0, this.length)
    this.length = 0
    this.events = 0
    this.send(`{"type":"events","events":[${events}]}` as PushText)
  }
}
