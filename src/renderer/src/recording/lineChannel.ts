import { splitBlock, type LineBatch, type LineBlock } from '../../../shared/lineReader'

/**
 * Blocks sent and not yet taken by the indexer: enough that reading never waits on a slow block, few enough that
 * what waits in the indexer's queue stays a few chunks of the file however far ahead the reader is.
 */
export const LINES_IN_FLIGHT = 4

/** Reader → indexer. The indexer answers each block it takes with 'more'. */
export type LineMessage =
  { type: 'block'; block: LineBlock } | { type: 'end' } | { type: 'error'; message: string }

/** What both ends need of a MessagePort (the browser's, and Node's in tests). */
export interface LinePort {
  postMessage(message: LineMessage | 'more', transfer: ArrayBuffer[]): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  start(): void
  close(): void
}

/**
 * Sends `blocks` through `port`, at most LINES_IN_FLIGHT ahead of the indexer: the reading worker's side. Reading a
 * file (Chromium's stream of it) took about a quarter of the indexing worker's time; in a worker of its own it runs
 * beside the checking and folding.
 */
export async function sendLines(blocks: AsyncIterable<LineBlock>, port: LinePort): Promise<void> {
  let credit = LINES_IN_FLIGHT
  let wake: (() => void) | null = null
  port.addEventListener('message', () => {
    credit += 1
    wake?.()
  })
  port.start()
  try {
    for await (const block of blocks) {
      while (credit === 0) await new Promise<void>((resolve) => (wake = resolve))
      credit -= 1
      // A block's bytes may share their buffer with the next block's: each crosses in a copy of its own.
      const bytes = new Uint8Array(block.bytes)
      port.postMessage({ type: 'block', block: { ...block, bytes } }, [
        bytes.buffer,
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
      // Asked for before this block is checked, so the reader works on the next one meanwhile.
      port.postMessage('more', [])
      yield splitBlock(message.block)
    }
  } finally {
    port.close()
  }
}
