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
 * or a character only carries those bytes over to the next chunk.
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
  for (let position = from; position < source.size;) {
    const next = Math.min(source.size, position + chunkBytes)
    const read = new Uint8Array(await source.slice(position, next).arrayBuffer())
    const bytes = carry.length === 0 ? read : concat(carry, read)
    const bytesStart = carryStart
    position = next
    const lastNewline = bytes.lastIndexOf(NEWLINE)
    if (lastNewline < 0) {
      carry = bytes
      continue
    }
    yield splitLines(decode, bytes, bytesStart, lastNewline + 1, false)
    carry = bytes.slice(lastNewline + 1)
    carryStart = bytesStart + lastNewline + 1
  }
  if (carry.length > 0) yield splitLines(decode, carry, carryStart, carry.length, true)
}

/** Lines of `bytes[0, length)`, which ends with a newline unless `unterminated`. Decoded in one call. */
function splitLines(
  decode: (bytes: Uint8Array) => string,
  bytes: Uint8Array,
  bytesStart: number,
  length: number,
  unterminated: boolean
): LineBatch {
  const text = decode(bytes.subarray(0, length))
  const texts = text.split('\n')
  if (!unterminated) texts.pop()
  const starts: number[] = new Array<number>(texts.length)
  let lineStart = 0
  for (let index = 0; index < texts.length; index++) {
    starts[index] = bytesStart + lineStart
    const t = texts[index] as string
    if (t.endsWith('\r')) texts[index] = t.slice(0, -1)
    lineStart = bytes.indexOf(NEWLINE, lineStart) + 1
  }
  return { texts, starts, end: bytesStart + length, unterminatedLast: unterminated }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}
