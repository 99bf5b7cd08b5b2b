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

/**
 * Complete lines read from one chunk of a file, their bytes not yet decoded: what a reading worker hands the
 * indexing one (bytes are transferred between workers; strings are copied, at about what decoding costs).
 */
export interface LineBlock {
  /** The lines' UTF-8, each ending with a newline but the file's unterminated last. */
  bytes: Uint8Array
  /** As LineBatch's. */
  starts: Float64Array
  end: number
  unterminatedLast: boolean
}

/** What the reader needs of a file: the browser's File/Blob, and Node's (fs.openAsBlob) too. */
export interface ByteSource {
  readonly size: number
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> }
  /** Read in one pass where there is one: Chromium's stream of a File was 3 times faster than its slices. */
  stream?(): { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }> } }
}

/** Reads `source` and yields its lines a piece at a time (see readLineBlocks). */
export async function* readLines(source: ByteSource, chunkBytes: number): AsyncGenerator<LineBatch> {
  for await (const block of readLineBlocks(source, chunkBytes)) yield splitBlock(block)
}

/** The lines of a block, decoded in one call, CR trimmed. */
export function splitBlock({ bytes, starts, end, unterminatedLast }: LineBlock): LineBatch {
  const text = new TextDecoder().decode(bytes)
  const texts = text.split('\n')
  if (!unterminatedLast) texts.pop()
  if (text.includes('\r')) {
    for (let index = 0; index < texts.length; index++) {
      const line = texts[index] as string
      if (line.endsWith('\r')) texts[index] = line.slice(0, -1)
    }
  }
  return { texts, starts, end, unterminatedLast }
}

/**
 * Reads `source` and yields its whole lines a piece at a time. Lines are found by the newline byte (a newline is
 * never inside a multi-byte UTF-8 character), so a piece boundary inside a line or a character only carries that
 * line's bytes over to the next piece.
 */
export async function* readLineBlocks(source: ByteSource, chunkBytes: number): AsyncGenerator<LineBlock> {
  let carry: Uint8Array = new Uint8Array(0)
  let carryStart = 0
  let readStart = 0
  for await (const read of pieces(source, chunkBytes)) {
    const pieceStart = readStart
    readStart += read.length
    const firstNewline = read.indexOf(NEWLINE)
    if (firstNewline < 0) {
      carry = concat(carry, read)
      continue
    }
    // The line the last piece left unfinished ends here: only it is copied, not the whole piece.
    let lineStart = 0
    if (carry.length > 0) {
      yield blockOf(concat(carry, read.subarray(0, firstNewline + 1)), carryStart, false)
      lineStart = firstNewline + 1
    }
    const lastNewline = read.lastIndexOf(NEWLINE)
    if (lastNewline >= lineStart) {
      yield blockOf(read.subarray(lineStart, lastNewline + 1), pieceStart + lineStart, false)
    }
    carry = read.slice(lastNewline + 1)
    carryStart = pieceStart + lastNewline + 1
  }
  if (carry.length > 0) yield blockOf(carry, carryStart, true)
}

/** The file's bytes in order, in pieces of at most `chunkBytes`: from its stream, or else slice by slice. */
async function* pieces(source: ByteSource, chunkBytes: number): AsyncGenerator<Uint8Array> {
  if (source.stream !== undefined) {
    const reader = source.stream().getReader()
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      const value = next.value ?? new Uint8Array(0)
      for (let at = 0; at < value.length; at += chunkBytes) yield value.subarray(at, at + chunkBytes)
    }
    return
  }
  const fetch = (start: number): Promise<ArrayBuffer> =>
    source.slice(start, Math.min(source.size, start + chunkBytes)).arrayBuffer()
  // The next slice is asked for before this one is split, so reading overlaps the checking of lines.
  let ahead = source.size > 0 ? fetch(0) : null
  for (let position = 0; ahead !== null;) {
    const read = new Uint8Array(await ahead)
    position = Math.min(source.size, position + chunkBytes)
    ahead = position < source.size ? fetch(position) : null
    yield read
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

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}
