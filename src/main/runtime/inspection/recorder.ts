import { createWriteStream, type WriteStream } from 'node:fs'
import type { InspectionBus } from './inspectionBus'

const NEWLINE = 0x0a
/** Lines are gathered in a buffer this big and written once per event-loop turn, or when it is full. */
const STAGING_BYTES = 1024 * 1024

/**
 * Writes the inspection stream to a file as NDJSON, one complete line per event. It copies the bytes the bus's
 * history ring already encoded (so a line is turned into UTF-8 once for both) into a staging buffer, and writes
 * what a turn gathered in one write: a write per run of lines, each with a buffer of its own, was thousands of
 * small writes and allocations a second under a flood. A buffer being written is never touched again until its
 * write completes; then it is reused. A process killed mid-write leaves at most one torn last line, which the
 * reader reports instead of failing on.
 */
export class Recorder {
  private readonly stream: WriteStream
  private readonly unsubscribe: () => void
  private staging: Buffer = Buffer.allocUnsafeSlow(STAGING_BYTES)
  private used = 0
  /** A staging buffer whose write has completed, ready to be reused. */
  private spare: Buffer | null = null
  private flushScheduled = false

  constructor(
    private readonly bus: InspectionBus,
    readonly path: string,
    options: { includeHistory?: boolean } = {}
  ) {
    this.stream = createWriteStream(path, { flags: 'w' })
    this.stream.on('error', () => this.unsubscribe?.())
    if (options.includeHistory) {
      const history = bus.snapshotLines()
      if (history.length > 0) this.stream.write(`${history.join('\n')}\n`)
    }
    this.unsubscribe = bus.subscribeBytes((bytes) => this.add(bytes))
  }

  /** Stops recording and resolves once every line is on disk. */
  async close(): Promise<void> {
    this.bus.flushBytes()
    this.unsubscribe()
    this.flush()
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()))
    )
  }

  /** A run of lines (joined by newlines, none at the end), valid only during the call. */
  private add(bytes: Buffer): void {
    if (this.stream.destroyed) return
    const need = bytes.length + 1
    if (this.used + need > this.staging.length) this.flush()
    if (need > this.staging.length) {
      // Longer than the whole buffer: written on its own, after everything before it.
      this.stream.write(Buffer.concat([bytes, Buffer.of(NEWLINE)]))
      return
    }
    this.staging.set(bytes, this.used)
    this.used += bytes.length
    this.staging[this.used++] = NEWLINE
    if (!this.flushScheduled) {
      this.flushScheduled = true
      setImmediate(() => this.flush())
    }
  }

  private flush(): void {
    this.flushScheduled = false
    if (this.used === 0 || this.stream.destroyed) return
    const written = this.staging
    this.stream.write(written.subarray(0, this.used), () => {
      this.spare ??= written
    })
    this.staging = this.spare ?? Buffer.allocUnsafeSlow(STAGING_BYTES)
    this.spare = null
    this.used = 0
  }
}
