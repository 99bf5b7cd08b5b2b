const NEWLINE = 0x0a

/** Complete lines read from one chunk of a file: their text (CR trimmed) and where each starts in the file. */
export interface LineBatch {
  texts: string[]
  /** Byte offset in the file of each line's first byte. */
  starts: Float64Array
  /** Byte offset just past the last of these lines (and its newline, unless it is the file's unterminated end). */
  end: number
  /** These lines are the file's last and the final one had no newline. */
  unterminatedLast: boolean
}

/** Complete lines read from one chunk of a file, their bytes not yet decoded. */
export interface LineBlock {
  /**
   * The lines' UTF-8, each ending with a newline but the file's unterminated last. They own their buffer: whoever
   * takes the block may transfer it to another worker or fill it again.
   */
  bytes: Uint8Array
  /** As LineBatch's. */
  starts: Float64Array
  end: number
  unterminatedLast: boolean
}

interface ByobReader {
  read<T extends ArrayBufferView<ArrayBuffer>>(view: T): Promise<{ done: boolean; value?: T | undefined }>
}

/** What the reader needs of a file: the browser's File/Blob, and Node's (fs.openAsBlob) too. */
export interface ByteSource {
  readonly size: number
  /** A part of the file: itself a source (a Blob's slice is a Blob). */
  slice(start: number, end: number): ByteSource & { arrayBuffer(): Promise<ArrayBuffer> }
  /** A byte stream, read into our own buffers where there is one; else the file is read slice by slice. */
  stream?(): { getReader(options: { mode: 'byob' }): ByobReader }
}

/** Most buffers a pool keeps: those in flight between two workers and the one being filled. */
const MAX_POOLED = 8

/**
 * Buffers a reader fills again once their consumer hands them back. A new large buffer costs the first touch of its
 * pages: in Chromium on our 2-core VM, copying into a fresh megabyte took 3 ms against 0.05 into one used before, and
 * a stream's own chunks cost the reading worker more than everything else it did.
 */
export class BufferPool {
  private readonly free: ArrayBuffer[] = []

  constructor(readonly bytes: number) {}

  take(): ArrayBuffer {
    return this.free.pop() ?? new ArrayBuffer(this.bytes)
  }

  /** A buffer of another size (one grown for a long line) is left to the collector. */
  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength === this.bytes && this.free.length < MAX_POOLED) this.free.push(buffer)
  }
}

/** Reads `source` and yields its lines a piece at a time (see readLineBlocks). */
export async function* readLines(
  source: ByteSource,
  chunkBytes: number,
  pool = new BufferPool(chunkBytes)
): AsyncGenerator<LineBatch> {
  for await (const block of readLineBlocks(source, chunkBytes, pool)) {
    const batch = splitBlock(block)
    // Its lines are strings now: the buffer can take the next piece of the file.
    pool.give(block.bytes.buffer as ArrayBuffer)
    yield batch
  }
}

/**
 * Most bytes decoded in one call. A string of more than about 128 KB is allocated on pages of its own, and their
 * first touch made decoding a megabyte at once 16 times slower in Chromium than in pieces of 64 KB.
 */
const DECODE_PIECE_BYTES = 64 * 1024

/** The lines of a block, decoded a few hundred lines at a time, CR trimmed. */
export function splitBlock({ bytes, starts, end, unterminatedLast }: LineBlock): LineBatch {
  const decoder = new TextDecoder()
  const texts: string[] = []
  const first = starts.length > 0 ? (starts[0] as number) : end
  let from = 0
  for (let line = 1; line <= starts.length; line++) {
    const to = line < starts.length ? (starts[line] as number) - first : bytes.length
    if (to - from < DECODE_PIECE_BYTES && line < starts.length) continue
    const piece = decoder.decode(bytes.subarray(from, to)).split('\n')
    // A piece ends with its last line's newline, so its split ends with an empty string; the file's unterminated
    // last line has none.
    if (line < starts.length || !unterminatedLast) piece.pop()
    for (const text of piece) texts.push(text.endsWith('\r') ? text.slice(0, -1) : text)
    from = to
  }
  return { texts, starts, end, unterminatedLast }
}

/**
 * Reads `source` into buffers of `chunkBytes` from `pool` and yields the whole lines of each. Lines are found by
 * the newline byte (a newline is never inside a multi-byte UTF-8 character); the unfinished line a buffer ends with
 * is copied to the start of the next, and a line longer than a buffer gets a larger one.
 */
export async function* readLineBlocks(
  source: ByteSource,
  chunkBytes: number,
  pool = new BufferPool(chunkBytes)
): AsyncGenerator<LineBlock> {
  const fill = filler(source)
  let buffer = pool.take()
  let filled = 0
  let position = 0
  for (;;) {
    const read = await fill(buffer, filled)
    buffer = read.buffer
    filled = read.filled
    const bytes = new Uint8Array(buffer, 0, filled)
    if (read.done) {
      if (filled > 0) yield blockOf(bytes, position, bytes[filled - 1] !== NEWLINE)
      return
    }
    const lineEnd = bytes.lastIndexOf(NEWLINE) + 1
    if (lineEnd === 0) {
      const larger = new Uint8Array(buffer.byteLength * 2)
      larger.set(bytes)
      buffer = larger.buffer
      continue
    }
    const carried = filled - lineEnd
    const next = carried < pool.bytes ? pool.take() : new ArrayBuffer(carried * 2)
    new Uint8Array(next).set(bytes.subarray(lineEnd))
    // Whoever takes the block may transfer its buffer: nothing of it is read after this.
    yield blockOf(bytes.subarray(0, lineEnd), position, false)
    position += lineEnd
    buffer = next
    filled = carried
  }
}

type Fill = (buffer: ArrayBuffer, filled: number) => Promise<{ buffer: ArrayBuffer; filled: number; done: boolean }>

/** Fills a buffer on from `filled` with the file's next bytes: `done` once the file has no more. */
function filler(source: ByteSource): Fill {
  if (source.stream !== undefined) {
    const reader = source.stream().getReader({ mode: 'byob' })
    return async (buffer, filled) => {
      while (filled < buffer.byteLength) {
        const { done, value } = await reader.read(new Uint8Array(buffer, filled))
        // A read takes the buffer it is given and hands it back as `value`'s.
        if (value === undefined) throw new Error('the file stopped being readable')
        buffer = value.buffer as ArrayBuffer
        filled += value.byteLength
        if (done) return { buffer, filled, done: true }
      }
      return { buffer, filled, done: false }
    }
  }
  let position = 0
  return async (buffer, filled) => {
    const end = Math.min(source.size, position + buffer.byteLength - filled)
    if (end > position) {
      new Uint8Array(buffer).set(new Uint8Array(await source.slice(position, end).arrayBuffer()), filled)
      filled += end - position
      position = end
    }
    return { buffer, filled, done: position >= source.size }
  }
}

/** The lines of `bytes`, which end with a newline unless `unterminated`, with where each starts. */
function blockOf(bytes: Uint8Array, bytesStart: number, unterminated: boolean): LineBlock {
  const starts: number[] = []
  for (let lineStart = 0; lineStart < bytes.length;) {
    starts.push(bytesStart + lineStart)
    const newline = bytes.indexOf(NEWLINE, lineStart)
    if (newline < 0) break
    lineStart = newline + 1
  }
  return {
    bytes,
    starts: Float64Array.from(starts),
    end: bytesStart + bytes.length,
    unterminatedLast: unterminated
  }
}
