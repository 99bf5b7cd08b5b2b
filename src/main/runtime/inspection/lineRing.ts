/** Bytes a UTF-16 code unit can take in UTF-8, at most: room reserved before a line is written. */
const MAX_UTF8_BYTES_PER_UNIT = 3

/** Lines are encoded into the buffer this many at a time, and listeners hear them as one run. */
const PENDING_LINES = 64
const NEWLINE = 0x0a

/** Where a ring's buffer starts; it grows as lines arrive, up to maxBytes, so a quiet stream holds little. */
const INITIAL_BYTES = 64 * 1024
const GROWTH = 1.25

export interface LineRingOptions {
  /** Most lines kept. */
  maxLines: number
  /** Most bytes kept (UTF-8); the oldest lines go first when either bound is reached. */
  maxBytes: number
  /**
   * Hears every run of lines as it is encoded: their UTF-8 bytes joined by newlines (no trailing one), in push
   * order. The view is only valid during the call: a listener that keeps the bytes copies them.
   */
  onEncoded?: (bytes: Buffer, lines: number) => void
}

/**
 * The last lines of a stream, kept as UTF-8 in one preallocated buffer outside the JS heap.
 *
 * Why not an array of strings: a hundred thousand retained strings all live long enough to be promoted, so the
 * collector copied each one twice and the old generation's mark-compact pauses (11–30 ms) became the tail of the
 * runtime's delivery latency. Bytes in a Buffer are never scanned or moved by the collector; reading them back
 * (a UI's hello, an export) is rare and pays the decoding.
 */
export class LineRing {
  private bytes: Buffer
  /** Start and end byte offsets of each kept line, oldest at `head`, in circular arrays of `maxLines`. */
  private readonly starts: Uint32Array
  private readonly ends: Uint32Array
  private head = 0
  private count = 0
  /** Where the next line is written. */
  private tail = 0
  /** Lines pushed but not yet encoded; every read encodes them first. */
  private pending: string[] = []
  private pendingChars = 0

  constructor(private readonly options: LineRingOptions) {
    if (!Number.isInteger(options.maxLines) || options.maxLines < 1)
      throw new RangeError(`maxLines must be a positive integer, got ${options.maxLines}`)
    if (!Number.isInteger(options.maxBytes) || options.maxBytes < 1024 || options.maxBytes >= 2 ** 32)
      throw new RangeError(`maxBytes must be an integer from 1024 to 2^32 - 1, got ${options.maxBytes}`)
    this.bytes = Buffer.allocUnsafe(Math.min(INITIAL_BYTES, options.maxBytes))
    this.starts = new Uint32Array(options.maxLines)
    this.ends = new Uint32Array(options.maxLines)
  }

  get size(): number {
    this.encodePending()
    return this.count
  }

  /**
   * Keeps `line` (which must not contain a newline), evicting the oldest lines it needs room for. A line longer
   * than the whole ring cannot be kept: it empties the ring when it is encoded.
   */
  push(line: string): void {
    this.pending.push(line)
    this.pendingChars += line.length + 1
    if (this.pending.length >= PENDING_LINES) this.encodePending()
  }

  /**
   * Encodes the pending lines one after another, each followed by a newline but the last, into one region of the
   * buffer, so listeners hear them as one run. Each line is written where it goes rather than joined first: a
   * joined copy was the ring's largest allocation, and allocations on this thread end up as collector pauses in
   * the middle of agent runs.
   */
  private encodePending(): void {
    if (this.pending.length === 0) return
    const lines =
      this.pending.length > this.options.maxLines ? this.pending.slice(-this.options.maxLines) : this.pending
    this.pending = []
    const chars = this.pendingChars
    this.pendingChars = 0
    const need = chars * MAX_UTF8_BYTES_PER_UNIT
    if (need > this.options.maxBytes) {
      for (const line of lines) this.pushOne(line)
      return
    }
    // Encoded once, for the ring and for whoever writes the stream out.
    while (this.count + lines.length > this.options.maxLines) this.dropOldest()
    const start = this.placeFor(need)
    let offset = start
    for (let index = 0; index < lines.length; index++) {
      if (index > 0) this.bytes[offset++] = NEWLINE
      const slot = (this.head + this.count) % this.options.maxLines
      this.starts[slot] = offset
      offset += this.bytes.write(lines[index] as string, offset, 'utf8')
      this.ends[slot] = offset
      this.count += 1
    }
    this.tail = offset
    this.options.onEncoded?.(this.bytes.subarray(start, offset), lines.length)
  }

  /** Encodes the lines pushed so far (the ring does it by itself every PENDING_LINES lines). */
  flush(): void {
    this.encodePending()
  }

  private pushOne(line: string): boolean {
    let need = line.length * MAX_UTF8_BYTES_PER_UNIT
    if (need > this.options.maxBytes) {
      need = Buffer.byteLength(line)
      if (need > this.options.maxBytes) {
        this.clear()
        // Not kept, but still heard: a recording must not lose what the history cannot hold.
        this.options.onEncoded?.(Buffer.from(line, 'utf8'), 1)
        return false
      }
    }
    if (this.count === this.options.maxLines) this.dropOldest()
    const start = this.placeFor(need)
    const written = this.bytes.write(line, start, 'utf8')
    const slot = (this.head + this.count) % this.options.maxLines
    this.starts[slot] = start
    this.ends[slot] = start + written
    this.count += 1
    this.tail = start + written
    this.options.onEncoded?.(this.bytes.subarray(start, start + written), 1)
    return true
  }

  /** The kept lines, oldest first. */
  lines(): string[] {
    this.encodePending()
    const lines: string[] = new Array<string>(this.count)
    for (let index = 0; index < this.count; index++) {
      const slot = (this.head + index) % this.options.maxLines
      lines[index] = this.bytes.toString('utf8', this.starts[slot], this.ends[slot])
    }
    return lines
  }

  clear(): void {
    this.pending = []
    this.pendingChars = 0
    this.head = 0
    this.count = 0
    this.tail = 0
  }

  /**
   * Where `need` free bytes start, dropping the oldest lines until there are. Kept lines run from the oldest's
   * start forward to `tail`, wrapping at most once; lines never wrap, so a line that would cross the end starts
   * over at 0 and the bytes it skips stay unused until the next lap.
   */
  private placeFor(need: number): number {
    for (;;) {
      if (need > this.bytes.length) {
        this.grow()
        continue
      }
      if (this.count === 0) {
        if (this.tail + need > this.bytes.length) this.tail = 0
        return this.tail
      }
      const oldestStart = this.starts[this.head] as number
      if (oldestStart < this.tail) {
        // Kept: [oldestStart, tail). Free: [tail, end of buffer) and [0, oldestStart).
        if (this.tail + need <= this.bytes.length) return this.tail
        if (need <= oldestStart) return 0
      } else if (this.tail + need <= oldestStart) {
        // Kept: [oldestStart, end) and [0, tail). Free: [tail, oldestStart).
        return this.tail
      }
      if (this.bytes.length < this.options.maxBytes) this.grow()
      else this.dropOldest()
    }
  }

  /**
   * Grows the buffer by a quarter (up to maxBytes), laying the kept lines out again from offset 0, oldest first.
   * A quarter, not double: what is allocated but unused is memory too, and copying on growth is rare either way.
   */
  private grow(): void {
    const grown = Buffer.allocUnsafe(Math.min(Math.ceil(this.bytes.length * GROWTH), this.options.maxBytes))
    let offset = 0
    for (let index = 0; index < this.count; index++) {
      const slot = (this.head + index) % this.options.maxLines
      const start = this.starts[slot] as number
      const end = this.ends[slot] as number
      this.bytes.copy(grown, offset, start, end)
      this.starts[slot] = offset
      offset += end - start
      this.ends[slot] = offset
    }
    this.bytes = grown
    this.tail = offset
  }

  private dropOldest(): void {
    this.head = (this.head + 1) % this.options.maxLines
    this.count -= 1
  }
}
