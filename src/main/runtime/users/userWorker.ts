import { parentPort, workerData } from 'node:worker_threads'
import { DeliveryJudge, transferablesOf } from '../audit/deliveryJudge'
import { InProcessUserPool } from './inProcessUserPool'
import { workerCommandSchema, workerDataSchema, type WorkerReport } from './workerProtocol'

/** Flush deliveries at this many, or after this long, whichever comes first. */
const BATCH_SIZE = 512
const BATCH_MS = 5

if (!parentPort) throw new Error('userWorker.ts runs as a worker thread; start it through WorkerUserPool')
const port = parentPort
const post = (report: WorkerReport): void => port.postMessage(report)

const { judge: mode } = workerDataSchema.parse(workerData)
const judge = new DeliveryJudge(mode)
let flushTimer: NodeJS.Timeout | null = null
const flush = (): void => {
  if (flushTimer) clearTimeout(flushTimer)
  flushTimer = null
  if (judge.size === 0) return
  const batch = judge.take()
  port.postMessage({ type: 'deliveries', batch } satisfies WorkerReport, transferablesOf(batch))
}

const pool = new InProcessUserPool((receiver, event, receivedAt) => {
  judge.add(receiver, event, receivedAt)
  if (judge.size >= BATCH_SIZE) flush()
  else flushTimer ??= setTimeout(flush, BATCH_MS)
})
let refusalsReported = 0

port.on('message', (raw: unknown) => {
  const command = workerCommandSchema.parse(raw)
  switch (command.type) {
    case 'connect':
      void pool
        .connect(command.users)
        .then((outcome) => post({ type: 'connected', requestId: command.requestId, ...outcome }))
      return
    case 'start_runs':
      pool.startRuns(command.runs, command.userId)
      return
    case 'disconnect':
      void pool.disconnect(command.userId).then(() => post({ type: 'done', requestId: command.requestId }))
      return
    case 'close':
      void pool.close().then(() => {
        flush()
        post({ type: 'done', requestId: command.requestId })
      })
      return
  }
})

// Refusals are rare; poll them instead of threading a callback through the pool.
setInterval(() => {
  for (const refusal of pool.refusals.slice(refusalsReported)) post({ type: 'refused_run', ...refusal })
  refusalsReported = pool.refusals.length
}, 20).unref()
