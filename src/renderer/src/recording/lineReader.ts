const NEWLINE = 0x0a

/** Complete lines read from one chunk of a file: their text (CR trimmed) and where each starts in the file. */
export interface LineBatch {
  texts: string[]
  /** Byte offset in the file of each line's first byte. */
  starts: number[]
  /** Byte offset just past the last of these lines (and its newline, unless it is the file's unterminated end). */
  end: number
  /** These lines are the file's last and the final one had no newline. */
  unterminatedLast: boolean
}

/** What the reader needs of a file: the browser's File/Blob, and Node's (fs.openAsBlob) too. */
export interface ByteSource {
  readonly size: number
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> }
}

/**
 * Reads `source` from `from` in chunks and yields its lines a chunk at a time. Lines are split on the newline
 * byte before decoding (a newline is never inside a multi-byte UTF-8 character), so a chunk boundary inside a line
 * or a character only carries that line's bytes over to the next chunk.
 */
export async function* readLines(
  source: ByteSource,
  chunkBytes: number,
  from = 0
): AsyncGenerator<LineBatch> {
  const decoder = new TextDecoder()
  const decode = (bytes: Uint8Array): string => decoder.decode(bytes)
  let carry: Uint8Array = new Uint8Array(0)
  let carryStart = from
  const fetch = (start: number): Promise<ArrayBuffer> =>
    source.slice(start, Math.min(source.size, start + chunkBytes)).arrayBuffer()
  // The next chunk is asked for before this one is split: the browser reads the file in another process, so the
  // read overlaps the checking of lines instead of adding to it.
  let ahead = from < source.size ? fetch(from) : null
  for (let position = from; ahead !== null;) {
    const readStart = position
    position = Math.min(source.size, position + chunkBytes)
    const read = new Uint8Array(await ahead)
    ahead = position < source.size ? fetch(position) : null
    const firstNewline = read.indexOf(NEWLINE)
    if (firstNewline < 0) {
      carry = concat(carry, read)
      continue
    }
    // The line the last chunk left unfinished ends here: only it is copied, not the whole chunk.
    let lineStart = 0
    if (carry.length > 0) {
      yield splitLines(decode, concat(carry, read.subarray(0, firstNewline + 1)), carryStart, false)
      lineStart = firstNewline + 1
    }
    const lastNewline = read.lastIndexOf(NEWLINE)
    if (lastNewline >= lineStart) {
      yield splitLines(decode, read.subarray(lineStart, lastNewline + 1), readStart + lineStart, false)
    }
    carry = read.slice(lastNewline + 1)
    carryStart = readStart + lastNewline + 1
  }
  if (carry.length > 0) yield splitLines(decode, carry, carryStart, true)
}

/** The lines of `bytes`, which end with a newline unless `unterminated`; decoded in one call. */
function splitLines(
  decode: (bytes: Uint8Array) => string,
  bytes: Uint8Array,
  bytesStart: number,
  unterminated: boolean
): LineBatch {
  const texts = decode(bytes).split('\n')
  if (!unterminated) texts.pop()
  const starts: number[] = new Array<number>(texts.length)
  let lineStart = 0
  for (let index = 0; index < texts.length; index++) {
    starts[index] = bytesStart + lineStart
    const text = texts[index] as string
    if (text.endsWith('\r')) texts[index] = text.slice(0, -1)
    lineStart = bytes.indexOf(NEWLINE, lineStart) + 1
  }
  return { texts, starts, end: bytesStart + bytes.length, unterminatedLast: unterminated }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}
