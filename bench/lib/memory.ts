import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

setFlagsFromString('--expose-gc')
const collect = runInNewContext('gc') as () => void

/** This thread's heap plus off-heap buffers (socket buffers, Buffers) after full collections, in bytes. */
export function settledMemory(): number {
  for (let i = 0; i < 3; i++) collect()
  const usage = process.memoryUsage()
  return usage.heapUsed + usage.external
}
