import { createWriteStream, type WriteStream } from 'node:fs'
import type { InspectionEvent } from '../../../shared/inspection'
import type { InspectionBus } from './inspectionBus'

/**
 * Writes the inspection stream to a file as NDJSON, one complete line per event, appended as events happen. A
 * process killed mid-write leaves at most one torn last line, which the reader reports instead of failing on.
 */
export class Recorder {
  private readonly stream: WriteStream
  private readonly unsubscribe: () => void
  written = 0

  constructor(
    bus: InspectionBus,
    readonly path: string,
    options: { includeHistory?: boolean } = {}
  ) {
    this.stream = createWriteStream(path, { flags: 'w' })
    this.stream.on('error', () => this.unsubscribe?.())
    if (options.includeHistory) for (const event of bus.snapshot()) this.write(event)
    this.unsubscribe = bus.subscribe((event) => this.write(event))
  }

  private write(event: InspectionEvent): void {
    this.stream.write(`${JSON.stringify(event)}\n`)
    this.written += 1
  }

  /** Stops recording and resolves once every line is on disk. */
  async close(): Promise<void> {
    this.unsubscribe()
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()))
    )
  }
}
