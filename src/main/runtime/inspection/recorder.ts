import { createWriteStream, type WriteStream } from 'node:fs'
import type { InspectionBus } from './inspectionBus'

const NEWLINE = Buffer.from('\n')

/**
 * Writes the inspection stream to a file as NDJSON, one complete line per event. It writes the bytes the bus's
 * history ring already encoded, in runs of lines (never one write per event, which a flood would choke on), so a
 * line is turned into UTF-8 once for both. A process killed mid-write leaves at most one torn last line, which the
 * reader reports instead of failing on.
 */
export class Recorder {
  private readonly stream: WriteStream
  private readonly unsubscribe: () => void

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
    this.unsubscribe = bus.subscribeBytes((bytes) => {
      // A copy: the ring's bytes are overwritten later, the file write happens later.
      if (!this.stream.destroyed) this.stream.write(Buffer.concat([bytes, NEWLINE]))
    })
  }

  /** Stops recording and resolves once every line is on disk. */
  async close(): Promise<void> {
    this.bus.flushBytes()
    this.unsubscribe()
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()))
    )
  }
}
