import { createWriteStream, type WriteStream } from 'node:fs'
import type { InspectionBus } from './inspectionBus'

/** Lines are written in chunks of about this many characters, or at the end of the event-loop turn. */
const CHUNK_CHARS = 64 * 1024

/**
 * Writes the inspection stream to a file as NDJSON, one complete line per event. Lines are gathered within an
 * event-loop turn and written as one chunk (one write per turn, not one per event, which a flood would choke on).
 * A process killed mid-write leaves at most one torn last line, which the reader reports instead of failing on.
 */
export class Recorder {
  private readonly stream: WriteStream
  private readonly unsubscribe: () => void
  private pending = ''
  private flushScheduled = false
  written = 0

  constructor(
    bus: InspectionBus,
    readonly path: string,
    options: { includeHistory?: boolean } = {}
  ) {
    this.stream = createWriteStream(path, { flags: 'w' })
    this.stream.on('error', () => this.unsubscribe?.())
    if (options.includeHistory) for (const line of bus.snapshotLines()) this.write(line)
    this.unsubscribe = bus.subscribeLines((line) => this.write(line))
  }

  private write(line: string): void {
    this.pending += `${line}\n`
    this.written += 1
    if (this.pending.length >= CHUNK_CHARS) this.flush()
    else if (!this.flushScheduled) {
      this.flushScheduled = true
      setImmediate(this.flush)
    }
  }

  private readonly flush = (): void => {
    this.flushScheduled = false
    if (this.pending.length === 0 || this.stream.destroyed) return
    this.stream.write(this.pending)
    this.pending = ''
  }

  /** Stops recording and resolves once every line is on disk. */
  async close(): Promise<void> {
    this.unsubscribe()
    this.flush()
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()))
    )
  }
}
