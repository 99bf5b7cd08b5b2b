import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

setFlagsFromString('--expose-gc')
const collect = runInNewContext('gc') as () => void

/** Full collections of this thread's heap, so a measurement does not pay for the garbage of the one before it. */
export function collectGarbage(): void {
  for (let i = 0; i < 3; i++) collect()
}

/** This thread's heap plus off-heap buffers (socket buffers, Buffers) after full collections, in bytes. */
export function settledMemory(): number {
  collectGarbage()
  const usage = process.memoryUsage()
  return usage.heapUsed + usage.external
}
