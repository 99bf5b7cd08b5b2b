import { createWriteStream, type WriteStream } from 'node:fs'
import type { InspectionBus } from './inspectionBus'

const NEWLINE = 0x0a
/** Lines are gathered in a buffer this big to begin with (it grows if a write is slow to complete). */
const STAGING_BYTES = 256 * 1024

/**
 * Writes the inspection stream to a file as NDJSON, one complete line per event. It copies the bytes the bus's
 * history ring already encoded (so a line is turned into UTF-8 once for both) into a staging buffer, and writes
 * what a turn gathered in one write: a write per run of lines, each with a buffer of its own, was thousands of
 * small writes and allocations a second under a flood. Two buffers take turns: one is written while the other
 * gathers, and the next write starts when the last completes, so nothing is allocated in steady state (a fresh
 * buffer per write was megabytes a second, which V8 answered with back-to-back full collections). A process killed
 * mid-write leaves at most one torn last line, which the reader reports instead of failing on.
 */
export class Recorder {
  private readonly stream: WriteStream
  private readonly unsubscribe: () => void
  private staging: Buffer = Buffer.allocUnsafeSlow(STAGING_BYTES)
  private used = 0
  /** The other buffer, once its write has completed. */
  private spare: Buffer | null = null
  private writing = false
  private flushScheduled = false
  /** Resolves close() once the last write has completed. */
  private drained: (() => void) | null = null

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
    if (this.writing) await new Promise<void>((resolve) => (this.drained = resolve))
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()))
    )
  }

  /** A run of lines (joined by newlines, none at the end), valid only during the call. */
  private add(bytes: Buffer): void {
    if (this.stream.destroyed) return
    const need = bytes.length + 1
    if (this.used + need > this.staging.length) {
      // Full while the other buffer is still being written: grow this one rather than wait or reorder.
      const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.staging.length, this.used + need))
      this.staging.copy(grown, 0, 0, this.used)
      this.staging = grown
    }
    this.staging.set(bytes, this.used)
    this.used += bytes.length
    this.staging[this.used++] = NEWLINE
    if (!this.flushScheduled) {
      this.flushScheduled = true
      setImmediate(() => this.flush())
    }
  }

  /** Writes what has gathered, unless a write is under way: its completion writes it then. */
  private flush(): void {
    this.flushScheduled = false
    if (this.writing || this.used === 0 || this.stream.destroyed) return
    this.writing = true
    const written = this.staging
    this.stream.write(written.subarray(0, this.used), () => {
      this.writing = false
      // A buffer grown for a backlog is let go once written: the usual size is kept, not the largest ever.
      this.spare = written.length <= STAGING_BYTES ? written : null
      this.flush()
      if (!this.writing) this.drained?.()
    })
    this.staging = this.spare ?? Buffer.allocUnsafeSlow(STAGING_BYTES)
    this.spare = null
    this.used = 0
  }
}
