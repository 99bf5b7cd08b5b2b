/** RFC 6455 §5.2: FIN set, opcode 0x1 (text). Frames a server sends are never masked. */
const FIN_TEXT = 0x81
const LENGTH_16 = 126
const LENGTH_64 = 127

/** Bytes of the header in front of a payload of `length` bytes. */
export function headerBytes(length: number): number {
  return length < LENGTH_16 ? 2 : length <= 0xffff ? 4 : 10
}

/**
 * Writes the header of an unmasked text frame whose payload is `length` bytes at `at` (headerBytes(length) bytes
 * of room), returning where the payload goes.
 */
export function writeTextFrameHeader(out: Buffer, at: number, length: number): number {
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
  return at
}
