import type { ByteSource } from '../../shared/lineReader'

const NEWLINE = 0x0a

/** A line longer than the reader allows: no recording has one, so the file is not a recording. */
export class LineTooLongError extends Error {
  override readonly name = 'LineTooLongError'
}

/**
 * A file (fs.openAsBlob) as the line reader's byte source, read in one pass, refusing a line longer than
 * `maxLineBytes`: the reader carries an unfinished line over from piece to piece, so a file without newlines would
 * otherwise be held whole.
 */
export function boundedBlobSource(blob: Blob, maxLineBytes: number): ByteSource {
  return {
    size: blob.size,
    slice: (start, end) => blob.slice(start, end),
    stream: () => {
      const reader = blob.stream().getReader({ mode: 'byob' })
      let sinceNewline = 0
      const read = async <T extends ArrayBufferView<ArrayBuffer>>(view: T): Promise<{ done: boolean; value?: T }> => {
        const next = await reader.read(view)
        if (next.value === undefined) return next
        const bytes = new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength)
        const last = bytes.lastIndexOf(NEWLINE)
        const first = bytes.indexOf(NEWLINE)
        const longest = last < 0 ? sinceNewline + bytes.length : sinceNewline + first
        sinceNewline = last < 0 ? longest : bytes.length - last - 1
        if (longest > maxLineBytes || sinceNewline > maxLineBytes) {
          await reader.cancel()
          throw new LineTooLongError(`it has a line longer than ${maxLineBytes} bytes`)
        }
        return next
      }
      return { getReader: () => ({ read }) }
    }
  }
}
