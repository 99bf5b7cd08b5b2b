const SEQ_KEY = Buffer.from('"seq":')
const HISTORY_KEY = Buffer.from('"history":[')

/**
 * The seq of the last event in a hello result's `history` (a reply or a `reset` push, as bytes): -1 when the
 * history is empty, null when there is none (a failed hello). History is the result's last member and each event's only `"seq":` key is its own (inside a
 * JSON string the quote would be escaped), so the last such key in the bytes is the last event's.
 */
export function lastHistorySeq(bytes: Buffer): number | null {
  const history = bytes.indexOf(HISTORY_KEY)
  const at = bytes.lastIndexOf(SEQ_KEY)
  if (history < 0) return null
  if (at < history) return -1
  let seq = 0
  for (let i = at + SEQ_KEY.length; i < bytes.length; i += 1) {
    const digit = (bytes[i] as number) - 0x30
    if (digit < 0 || digit > 9) break
    seq = seq * 10 + digit
  }
  return seq
}
