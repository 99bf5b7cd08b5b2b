/** RFC 6455 §5.2: FIN set, opcode 0x1 (text). Frames a server sends are never masked. */
const FIN_TEXT = 0x81
const LENGTH_16 = 126
const LENGTH_64 = 127

/** Bytes of the header in front of a payload of `length` bytes. */
export function headerBytes(length: number): number {
  return length < LENGTH_16 ? 2 : length <= 0xffff ? 4 : 10
}

/**
 * Encodes text messages as consecutive unmasked WebSocket text frames in one buffer, so that a socket can send
 * them in a single write. `byteLengths[i]` is `Buffer.byteLength(texts[i])`, measured once by the caller (which
 * needs it to account for what it queues).
 */
export function encodeTextFrames(texts: readonly string[], byteLengths: readonly number[]): Buffer {
  let total = 0
  for (const length of byteLengths) total += headerBytes(length) + length
  const out = Buffer.allocUnsafe(total)
  let at = 0
  for (let index = 0; index < texts.length; index++) {
    const length = byteLengths[index] as number
    out[at++] = FIN_TEXT
    if (length < LENGTH_16) {
      out[at++] = length
    } else if (length <= 0xffff) {
      out[at++] = LENGTH_16
      out.writeUInt16BE(length, at)
      at += 2
    } else {
      out[at++] = LENGTH_64
      // Payloads here are bounded far below 2^53; the high word carries what does not fit in 32 bits.
      out.writeUInt32BE(Math.floor(length / 0x1_0000_0000), at)
      out.writeUInt32BE(length >>> 0, at + 4)
      at += 8
    }
    at += out.write(texts[index] as string, at, 'utf8')
  }
  return out
}
