/** Slots per chunk: the index grows a chunk at a time, so it never copies what it already holds. */
const CHUNK = 65_536

/**
 * Where each event's line starts in a recording, in compact chunks of Float64Array (exact for any file size):
 * 8 bytes an event instead of the event as an object. Event i's bytes run from `start(i)` to `start(i + 1)`, or
 * to `end` for the last; what lies between (blank lines) parses to nothing.
 */
export class OffsetIndex {
  private readonly chunks: Float64Array[] = []
  private count = 0
  /** Just past the last indexed event's line. */
  end = 0

  get length(): number {
    return this.count
  }

  push(start: number): void {
    const slot = this.count % CHUNK
    if (slot === 0) this.chunks.push(new Float64Array(CHUNK))
    ;(this.chunks[this.chunks.length - 1] as Float64Array)[slot] = start
    this.count += 1
  }

  /** Where event `index` (0-based) starts; `end` for index === length. */
  start(index: number): number {
    if (index >= this.count) return this.end
    return (this.chunks[Math.floor(index / CHUNK)] as Float64Array)[index % CHUNK] as number
  }
}
