import { createWriteStream, type WriteStream } from 'node:fs'
import { recordingHeaderLine } from '../../../shared/recordingFormat'
import type { InspectionBus } from './inspectionBus'

const NEWLINE = 0x0a
/** Lines are gathered in buffers this big, written when full or FLUSH_MS after the first line, whichever is first. */
const STAGING_BYTES = 1024 * 1024
/**
 * How long a line may wait for its write: each write is a trip through libuv's thread pool, whose thread competes
 * with the users' worker for a core. A crash loses at most this much of the recording.
 */
const FLUSH_MS = 50
/**
 * Written buffers kept for reuse (at most 9 MiB stay after a flood): writes back up under a saturated flood, and a
 * fresh buffer for each counts against V8's old-generation room, which it answers with full collections.
 */
const MAX_SPARES = 8

/** What a recording holds so far: every line written or queued, and whether it is all on disk. */
export interface RecordedSoFar {
  path: string
  /** Events recorded (the header line not counted). */
  events: number
  /** Bytes of the file, header included. */
  bytes: number
}

/**
 * Writes the inspection stream to a file as NDJSON: the format header (src/shared/recordingFormat.ts), then one
 * complete line per event. It copies the bytes the bus's history ring already encoded (a line is turned into UTF-8
 * once for both) into a reused staging buffer and writes what FLUSH_MS gathered in one write; writes queue in
 * order. A process killed mid-write leaves at most one torn last line, which the reader reports.
 */
export class Recorder {
  private readonly stream: WriteStream
  private readonly unsubscribe: () => void
  private staging: Buffer = Buffer.allocUnsafeSlow(STAGING_BYTES)
  private used = 0
  /** Staging buffers whose writes have completed, ready to be reused. */
  private readonly spares: Buffer[] = []
  private writesUnderWay = 0
  private flushTimer: NodeJS.Timeout | null = null
  /** Resolve once the writes under way have completed (close(), settled()). */
  private drained: Array<() => void> = []
  private events = 0
  private bytes = 0

  constructor(
    private readonly bus: InspectionBus,
    readonly path: string,
    options: { includeHistory?: boolean } = {}
  ) {
    this.stream = createWriteStream(path, { flags: 'w' })
    this.stream.on('error', () => this.unsubscribe?.())
    const header = Buffer.from(`${recordingHeaderLine()}\n`)
    this.write(header)
    this.bytes = header.length
    if (options.includeHistory) {
      const history = bus.snapshotLines()
      if (history.length > 0) {
        const text = Buffer.from(`${history.join('\n')}\n`)
        this.write(text)
        this.events += history.length
        this.bytes += text.length
      }
    }
    this.unsubscribe = bus.subscribeBytes((bytes, lines) => this.add(bytes, lines))
  }

  /** Writes what has gathered and resolves once the file holds every line recorded so far. */
  async settled(): Promise<RecordedSoFar> {
    this.bus.flushBytes()
    this.flush()
    const soFar = { path: this.path, events: this.events, bytes: this.bytes }
    if (this.writesUnderWay > 0) await new Promise<void>((resolve) => this.drained.push(resolve))
    return soFar
  }

  /** Stops recording and resolves once every line is on disk. */
  async close(): Promise<void> {
    this.bus.flushBytes()
    this.unsubscribe()
    this.flush()
    if (this.writesUnderWay > 0) await new Promise<void>((resolve) => this.drained.push(resolve))
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()))
    )
  }

  /** A run of lines (joined by newlines, none at the end), valid only during the call. */
  private add(bytes: Buffer, lines: number): void {
    if (this.stream.destroyed) return
    this.events += lines
    this.bytes += bytes.length + 1
    const need = bytes.length + 1
    if (this.used + need > this.staging.length) this.flush()
    if (need > this.staging.length) {
      // Longer than a whole staging buffer: written on its own, after everything before it.
      this.write(Buffer.concat([bytes, Buffer.of(NEWLINE)]))
      return
    }
    this.staging.set(bytes, this.used)
    this.used += bytes.length
    this.staging[this.used++] = NEWLINE
    if (!this.flushTimer) {
      // Unref'd: close() writes what is left, and a recording must not keep a finished process alive.
      this.flushTimer = setTimeout(() => this.flush(), FLUSH_MS)
      this.flushTimer.unref()
    }
  }

  /** Writes what has gathered; its buffer is not touched again until the write completes. */
  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer)
    this.flushTimer = null
    if (this.used === 0 || this.stream.destroyed) return
    const written = this.staging
    this.write(written.subarray(0, this.used), () => {
      if (this.spares.length < MAX_SPARES) this.spares.push(written)
    })
    this.staging = this.spares.pop() ?? Buffer.allocUnsafeSlow(STAGING_BYTES)
    this.used = 0
  }

  /** Every write goes through here, so settled() and close() know when the file holds everything queued. */
  private write(chunk: Buffer, done?: () => void): void {
    this.writesUnderWay += 1
    this.stream.write(chunk, () => {
      this.writesUnderWay -= 1
      done?.()
      if (this.writesUnderWay === 0) for (const resolve of this.drained.splice(0)) resolve()
    })
  }
}
