import { z } from 'zod'
import { agentEventTypeSchema } from '../../../shared/agentEvents'
import { contextIdsSchema } from '../../../shared/context'

/** Main thread → user worker. */
export const workerCommandSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('connect'),
    requestId: z.number().int(),
    users: z.array(z.strictObject({ userId: z.string(), url: z.string() }))
  }),
  z.strictObject({
    type: z.literal('start_runs'),
    runs: z.number().int().positive(),
    userId: z.string().optional()
  }),
  z.strictObject({ type: z.literal('disconnect'), requestId: z.number().int(), userId: z.string() }),
  z.strictObject({ type: z.literal('close'), requestId: z.number().int() })
])
export type WorkerCommand = z.infer<typeof workerCommandSchema>

/**
 * One delivery, flattened to a tuple so that thousands a second cross the thread boundary cheaply:
 * [receiver user_id, receiver connection_id, event_id, type, owner user_id, run_id, emitted_at, received_at].
 */
export const deliveryTupleSchema = z.tuple([
  z.string(),
  z.string(),
  z.string(),
  agentEventTypeSchema,
  z.string(),
  z.string(),
  z.number(),
  z.number()
])
export type DeliveryTuple = z.infer<typeof deliveryTupleSchema>

/** User worker → main thread. */
export const workerReportSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('connected'),
    requestId: z.number().int(),
    connected: z.array(
      z.strictObject({ user_id: z.string(), connection_id: z.string(), context: contextIdsSchema })
    ),
    failed: z.array(z.strictObject({ user_id: z.string(), error: z.string() }))
  }),
  z.strictObject({ type: z.literal('deliveries'), batch: z.array(deliveryTupleSchema) }),
  z.strictObject({ type: z.literal('refused_run'), user_id: z.string(), message: z.string() }),
  z.strictObject({ type: z.literal('done'), requestId: z.number().int() })
])
export type WorkerReport = z.infer<typeof workerReportSchema>

const EVENT_TYPES: ReadonlySet<unknown> = new Set(agentEventTypeSchema.options)

/** The tuple check deliveryTupleSchema makes, by hand: it runs for every delivery, thousands a second. */
function isDeliveryTuple(value: unknown): value is DeliveryTuple {
  return (
    Array.isArray(value) &&
    value.length === 8 &&
    typeof value[0] === 'string' &&
    typeof value[1] === 'string' &&
    typeof value[2] === 'string' &&
    EVENT_TYPES.has(value[3]) &&
    typeof value[4] === 'string' &&
    typeof value[5] === 'string' &&
    typeof value[6] === 'number' &&
    typeof value[7] === 'number'
  )
}

/**
 * Parses a worker report as workerReportSchema does, with a hand-written fast path for delivery batches (the hot
 * path: a zod parse per batch cost more than auditing it). Rare reports go through zod.
 */
export function parseWorkerReport(raw: unknown): WorkerReport {
  if (typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'deliveries') {
    const { batch, ...rest } = raw as { batch?: unknown }
    if (Object.keys(rest).length === 1 && Array.isArray(batch)) {
      const bad = batch.findIndex((tuple) => !isDeliveryTuple(tuple))
      if (bad < 0) return { type: 'deliveries', batch: batch as DeliveryTuple[] }
    }
  }
  return workerReportSchema.parse(raw)
}
