import { BufferPool, readLineBlocks } from '../../../shared/lineReader'
import { sendLines } from './lineChannel'
import type { ToLineReader } from './workerProtocol'

/** Bytes read at a time: big enough that a read costs little per line, small enough to keep few in flight. */
const READ_CHUNK_BYTES = 4 * 1024 * 1024

/**
 * Reads a recording and splits it into lines for the indexing worker (recording.worker.ts), through the port the
 * page gave both: reading and decoding run here, beside the checking and folding there.
 */
interface WorkerScope {
  onmessage: ((message: MessageEvent<ToLineReader>) => void) | null
}
// The renderer's TypeScript has the DOM's types, not the worker's (they clash): this is all it uses of them.
const scope = self as unknown as WorkerScope

scope.onmessage = (message: MessageEvent<ToLineReader>): void => {
  const { file, port } = message.data
  const pool = new BufferPool(READ_CHUNK_BYTES)
  void sendLines(readLineBlocks(file, READ_CHUNK_BYTES, pool), port, pool)
}
