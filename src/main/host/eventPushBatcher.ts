import type { PushBytes } from '../../shared/inspectorApi'
import type { InspectionBus } from '../runtime/inspection/inspectionBus'

const NEWLINE = 0x0a
const COMMA = 0x2c
const INITIAL_BYTES = 256 * 1024
const HEAD = Buffer.from('{"type":"events","events":[')
const END = Buffer.from(']}')

export interface EventPushBatcherOptions {
  /** A push is sent once it holds this many events... */
  maxEvents: number
  /** ...or this long after its first event, whichever comes first. */
  flushMs: number
}

/**
 * Gathers the inspection stream into `events` pushes, straight from the bytes the bus's history ring encoded:
 * each run of NDJSON lines is copied once into the push being built, with commas in place of the newlines. No line
 * is held as a string while the batch fills, and none is serialized, joined or decoded again: the push leaves as
 * the bytes it was built in. (A newline byte only ever separates lines: JSON escapes control characters, and UTF-8
 * never uses 0x0a inside a multi-byte character.)
 *
 * `send` gets a view of the batcher's own buffer, valid only during the call: a transport that keeps a push copies
 * it (web mode wraps it into its frame, IPC clones it). The buffer is reused, so a flood allocates nothing here; a
 * fresh half-megabyte per push cost more in page faults than the copy into it.
 */
export class EventPushBatcher {
  /** The push being built: HEAD, then the events so far. */
  private building = startPush(INITIAL_BYTES)
  private length = HEAD.length
  private events = 0
  private timer: NodeJS.Timeout | null = null
  private readonly unsubscribe: () => void

  constructor(
    private readonly bus: InspectionBus,
    private readonly send: (push: PushBytes) => void,
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
    const needed = this.length + 1 + bytes.length + END.length
    if (needed > this.building.length) {
      const grown = startPush(Math.max(needed, this.building.length * 2))
      this.building.copy(grown, 0, 0, this.length)
      this.building = grown
    }
    if (this.events > 0) this.building[this.length++] = COMMA
    const start = this.length
    this.length += bytes.copy(this.building, start)
    for (let at = this.building.indexOf(NEWLINE, start); at >= 0 && at < this.length;) {
      this.building[at] = COMMA
      at = this.building.indexOf(NEWLINE, at + 1)
    }
    this.events += lines
    if (this.events >= this.options.maxEvents) this.sendGathered()
    else this.timer ??= setTimeout(() => this.sendGathered(), this.options.flushMs)
  }

  private sendGathered(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.events === 0) return
    const end = this.length + END.copy(this.building, this.length)
    const push = this.building.subarray(0, end) as Buffer as unknown as PushBytes
    this.length = HEAD.length
    this.events = 0
    this.send(push)
  }
}

function startPush(bytes: number): Buffer {
  const push = Buffer.allocUnsafeSlow(bytes)
  HEAD.copy(push, 0)
  return push
}
