import { splitBlock, type BufferPool, type LineBatch, type LineBlock } from '../../../shared/lineReader'

/**
 * Blocks sent and not yet taken by the indexer: enough that reading never waits on a slow block, few enough that
 * what waits in the indexer's queue stays a few chunks of the file however far ahead the reader is.
 */
export const LINES_IN_FLIGHT = 4

/** Reader → indexer. */
export type LineMessage =
  { type: 'block'; block: LineBlock } | { type: 'end' } | { type: 'error'; message: string }
/** Indexer → reader, for each block it has decoded: the block's buffer, to be filled again. */
export interface ReturnedBuffer {
  buffer: ArrayBuffer
}

/** What both ends need of a MessagePort (the browser's, and Node's in tests). */
export interface LinePort {
  postMessage(message: LineMessage | ReturnedBuffer, transfer: ArrayBuffer[]): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  start(): void
  close(): void
}

/**
 * Sends `blocks` through `port`, at most LINES_IN_FLIGHT ahead of the indexer: the reading worker's side. Reading a
 * file (Chromium's stream of it) took about a quarter of the indexing worker's time; in a worker of its own it runs
 * beside the checking and folding. Each block's buffer moves to the indexer and comes back into `pool`.
 */
export async function sendLines(
  blocks: AsyncIterable<LineBlock>,
  port: LinePort,
  pool?: BufferPool
): Promise<void> {
  let credit = LINES_IN_FLIGHT
  let wake: (() => void) | null = null
  port.addEventListener('message', (event) => {
    credit += 1
    pool?.give((event.data as ReturnedBuffer).buffer)
    wake?.()
  })
  port.start()
  try {
    for await (const block of blocks) {
      while (credit === 0) await new Promise<void>((resolve) => (wake = resolve))
      credit -= 1
      port.postMessage({ type: 'block', block }, [
        block.bytes.buffer as ArrayBuffer,
        block.starts.buffer as ArrayBuffer
      ])
    }
    port.postMessage({ type: 'end' }, [])
  } catch (error) {
    port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) }, [])
  }
}

/** The lines `sendLines` sends, in order, a block at a time: the indexer's side. A read that failed throws here. */
export async function* receiveLines(port: LinePort): AsyncGenerator<LineBatch> {
  const queue: LineMessage[] = []
  let wake: (() => void) | null = null
  port.addEventListener('message', (event) => {
    queue.push(event.data as LineMessage)
    wake?.()
  })
  port.start()
  try {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve))
      const message = queue.shift() as LineMessage
      if (message.type === 'end') return
      if (message.type === 'error') throw new Error(message.message)
      const batch = splitBlock(message.block)
      // Handed back before this block is checked, so the reader fills it with the next one meanwhile.
      const buffer = message.block.bytes.buffer as ArrayBuffer
      port.postMessage({ buffer }, [buffer])
      yield batch
    }
  } finally {
    port.close()
  }
}
