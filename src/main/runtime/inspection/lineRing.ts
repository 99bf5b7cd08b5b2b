import { copyInto, writeDigits } from './byteWriting'

/** Bytes a UTF-16 code unit can take in UTF-8, at most: room reserved before a line is written. */
const MAX_UTF8_BYTES_PER_UNIT = 3

/** Lines are placed in the chunks this many at a time, and listeners hear them as one run. */
const PENDING_LINES = 64
/** Room for the lines waiting to be placed, to begin with (64 lines of a few hundred bytes). */
const PENDING_BYTES = 64 * 1024
const NEWLINE = 0x0a

/** What pushParts writes between a line's members and its tail, then the sequence number's digits. */
const SEQ_KEY = Buffer.from(',"seq":')
const MAX_SEQ_DIGITS = 16

/** The ring's storage is used in chunks of this size, taken as lines arrive, up to maxBytes. */
const DEFAULT_CHUNK_BYTES = 256 * 1024

export interface LineRingOptions {
  /** Most lines kept. */
  maxLines: number
  /** Most bytes kept (UTF-8); the oldest lines go first when either bound is reached. */
  maxBytes: number
  /** Size of one storage chunk (default 256 KiB, at most maxBytes); also the longest line the ring can keep. */
  chunkBytes?: number
  /**
   * Hears every run of lines as it is encoded: their UTF-8 bytes joined by newlines (no trailing one), in push
   * order. The view is only valid during the call: a listener that keeps the bytes copies them.
   */
  onEncoded?: (bytes: Buffer, lines: number) => void
}

/**
 * The last lines of a stream, kept as UTF-8 outside the JS heap, in fixed-size chunks of one storage buffer.
 *
 * Bytes, not strings: retained strings are promoted and copied by every collection, and their pauses were the
 * tail of delivery latency; bytes in a Buffer are never scanned or moved (reading them back is rare). The storage
 * is reserved once, at construction: a buffer grown chunk by chunk made V8 start full collections while it filled
 * (see the README's benchmark notes), and reserved pages cost nothing until written. A line never crosses from
 * one chunk into the next; offsets are positions in the storage, the chunks laid end to end.
 */
export class LineRing {
  private readonly storage: Buffer
  /** The chunks in use so far: views of `storage`, from its start. */
  private readonly chunks: Buffer[] = []
  private readonly chunkBytes: number
  private readonly maxChunks: number
  /** Start and end offsets of each kept line, oldest at `head`, in circular arrays of `maxLines`. */
  private readonly starts: Float64Array
  private readonly ends: Float64Array
  private head = 0
  private count = 0
  /** Where the next line is written. */
  private tail = 0
  /**
   * Lines pushed but not yet placed, already UTF-8 and joined by newlines, and where each ends; every read places
   * them first. Encoded as they are pushed, so no line waits as a string.
   */
  private pending: Buffer = Buffer.allocUnsafeSlow(PENDING_BYTES)
  private pendingUsed = 0
  private readonly pendingEnds: number[] = []

  constructor(private readonly options: LineRingOptions) {
    if (!Number.isInteger(options.maxLines) || options.maxLines < 1)
      throw new RangeError(`maxLines must be a positive integer, got ${options.maxLines}`)
    if (!Number.isInteger(options.maxBytes) || options.maxBytes < 1024)
      throw new RangeError(`maxBytes must be an integer of at least 1024, got ${options.maxBytes}`)
    this.chunkBytes = Math.min(options.chunkBytes ?? DEFAULT_CHUNK_BYTES, options.maxBytes)
    if (!Number.isInteger(this.chunkBytes) || this.chunkBytes < 1024)
      throw new RangeError(`chunkBytes must be an integer of at least 1024, got ${options.chunkBytes}`)
    this.maxChunks = Math.floor(options.maxBytes / this.chunkBytes)
    this.storage = Buffer.allocUnsafeSlow(this.maxChunks * this.chunkBytes)
    this.addChunk()
    this.starts = new Float64Array(options.maxLines)
    this.ends = new Float64Array(options.maxLines)
  }

  get size(): number {
    this.encodePending()
    return this.count
  }

  /**
   * Keeps `line` (which must not contain a newline), evicting the oldest lines it needs room for. A line longer
   * than a chunk cannot be kept: when it is encoded it empties the ring (so the history stays an unbroken suffix of
   * the stream) and is handed to `onEncoded` all the same.
   */
  push(line: string): void {
    this.reservePending(line.length * MAX_UTF8_BYTES_PER_UNIT + 1)
    if (this.pendingEnds.length > 0) this.pending[this.pendingUsed++] = NEWLINE
    this.pendingUsed += this.pending.write(line, this.pendingUsed, 'utf8')
    this.endPendingLine()
  }

  /**
   * Keeps the line `head`, `members`, `,"seq":<seq>`, `tail`, given as UTF-8 (as push() keeps a string): the bus
   * writes events serialized as bytes this way, so that they never become strings.
   */
  pushParts(head: Uint8Array, members: Uint8Array, seq: number, tail: Uint8Array): void {
    this.reservePending(head.length + members.length + SEQ_KEY.length + MAX_SEQ_DIGITS + tail.length + 1)
    if (this.pendingEnds.length > 0) this.pending[this.pendingUsed++] = NEWLINE
    let at = copyInto(head, this.pending, this.pendingUsed)
    at = copyInto(members, this.pending, at)
    at = copyInto(SEQ_KEY, this.pending, at)
    at = writeDigits(this.pending, at, seq)
    this.pendingUsed = copyInto(tail, this.pending, at)
    this.endPendingLine()
  }

  private endPendingLine(): void {
    this.pendingEnds.push(this.pendingUsed)
    if (this.pendingEnds.length >= PENDING_LINES) this.encodePending()
  }

  /** Makes room for one more pending line of at most `bytes` (its newline included). */
  private reservePending(bytes: number): void {
    if (this.pendingUsed + bytes <= this.pending.length) return
    this.encodePending()
    if (bytes > this.pending.length)
      this.pending = Buffer.allocUnsafeSlow(Math.max(bytes, 2 * this.pending.length))
  }

  /** Encodes the lines pushed so far (the ring does it by itself every PENDING_LINES lines). */
  flush(): void {
    this.encodePending()
  }

  /** The kept lines, oldest first. */
  lines(): string[] {
    this.encodePending()
    const lines: string[] = new Array<string>(this.count)
    for (let index = 0; index < this.count; index++) {
      const slot = (this.head + index) % this.options.maxLines
      lines[index] = this.decode(this.starts[slot] as number, this.ends[slot] as number)
    }
    return lines
  }

  clear(): void {
    this.pendingUsed = 0
    this.pendingEnds.length = 0
    this.head = 0
    this.count = 0
    this.tail = 0
  }

  /**
   * Places the pending lines (already UTF-8, joined by newlines) in one region of one chunk with a single copy, so
   * listeners hear them as one run. Lines that cannot share a region (more bytes than a chunk, or more lines than the
   * ring keeps) are placed one by one.
   */
  private encodePending(): void {
    const lines = this.pendingEnds.length
    if (lines === 0) return
    const bytes = this.pendingUsed
    if (bytes > this.chunkBytes || lines > this.options.maxLines) {
      const pending = Buffer.from(this.pending.subarray(0, bytes))
      const ends = [...this.pendingEnds]
      this.pendingUsed = 0
      this.pendingEnds.length = 0
      ends.forEach((end, index) =>
        this.placeOne(pending.subarray(index === 0 ? 0 : (ends[index - 1] as number) + 1, end))
      )
      return
    }
    while (this.count + lines > this.options.maxLines) this.dropOldest()
    const start = this.placeFor(bytes)
    const chunk = this.chunkAt(start)
    const chunkStart = start - (start % this.chunkBytes)
    const local = start - chunkStart
    chunk.set(this.pending.subarray(0, bytes), local)
    for (let index = 0; index < lines; index++) {
      const slot = (this.head + this.count) % this.options.maxLines
      this.starts[slot] = start + (index === 0 ? 0 : (this.pendingEnds[index - 1] as number) + 1)
      this.ends[slot] = start + (this.pendingEnds[index] as number)
      this.count += 1
    }
    this.tail = start + bytes
    this.pendingUsed = 0
    this.pendingEnds.length = 0
    this.options.onEncoded?.(chunk.subarray(local, local + bytes), lines)
  }

  /** Keeps one line given as UTF-8 (see push for a line longer than a chunk). */
  private placeOne(line: Uint8Array): void {
    if (line.length > this.chunkBytes) {
      this.clear()
      // Not kept, but still heard: a recording must not lose what the history cannot hold.
      this.options.onEncoded?.(Buffer.from(line), 1)
      return
    }
    if (this.count === this.options.maxLines) this.dropOldest()
    const start = this.placeFor(line.length)
    const chunk = this.chunkAt(start)
    const local = start % this.chunkBytes
    chunk.set(line, local)
    const slot = (this.head + this.count) % this.options.maxLines
    this.starts[slot] = start
    this.ends[slot] = start + line.length
    this.count += 1
    this.tail = start + line.length
    this.options.onEncoded?.(chunk.subarray(local, local + line.length), 1)
  }

  /**
   * Where `need` (at most one chunk) free bytes start within one chunk, adding a chunk or dropping the oldest lines
   * until there are. Kept lines run from the oldest's start forward to `tail`, wrapping to 0 at most once; the end
   * of a chunk too short for a line stays unused until the next lap.
   */
  private placeFor(bytes: number): number {
    // An empty line still takes a place: one that ends exactly at the last chunk's end would have no chunk.
    const need = Math.max(bytes, 1)
    for (;;) {
      const capacity = this.chunks.length * this.chunkBytes
      const at = this.fitFrom(this.tail, need)
      if (this.count === 0) return at + need <= capacity ? at : 0
      const oldestStart = this.starts[this.head] as number
      if (oldestStart < this.tail) {
        // Kept: [oldestStart, tail). Free: [tail, capacity) and [0, oldestStart).
        if (at + need <= capacity) return at
        if (this.chunks.length < this.maxChunks) {
          this.addChunk()
          continue
        }
        if (need <= oldestStart) return 0
      } else if (at + need <= oldestStart) {
        // Kept: [oldestStart, capacity) and [0, tail). Free: [tail, oldestStart).
        return at
      }
      this.dropOldest()
    }
  }

  /** `from`, or the start of the next chunk when [from, from + need) would cross into it. */
  private fitFrom(from: number, need: number): number {
    const offset = from % this.chunkBytes
    return offset + need <= this.chunkBytes ? from : from - offset + this.chunkBytes
  }

  private addChunk(): void {
    const start = this.chunks.length * this.chunkBytes
    this.chunks.push(this.storage.subarray(start, start + this.chunkBytes))
  }

  private chunkAt(offset: number): Buffer {
    return this.chunks[Math.floor(offset / this.chunkBytes)] as Buffer
  }

  private decode(start: number, end: number): string {
    const local = start % this.chunkBytes
    return this.chunkAt(start).toString('utf8', local, local + (end - start))
  }

  private dropOldest(): void {
    this.head = (this.head + 1) % this.options.maxLines
    this.count -= 1
  }
}
