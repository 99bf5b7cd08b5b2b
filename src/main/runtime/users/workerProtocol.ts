import { z } from 'zod'
import { agentEventTypeSchema } from '../../../shared/agentEvents'
import { contextIdsSchema } from '../../../shared/context'

/**
 * What the worker's judge prepares for the main thread (its `workerData`). `inspect`: everything the auditor and
 * the inspection stream need. `count`: latencies and which deliveries were foreign only, as the bare-ws baseline
 * reports.
 */
export const judgeModeSchema = z.enum(['inspect', 'count'])
export type JudgeMode = z.infer<typeof judgeModeSchema>
export const workerDataSchema = z.strictObject({ judge: judgeModeSchema })

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

/** An isolation_violation's members. */
const violationSchema = z.strictObject({
  event_id: z.string(),
  type: agentEventTypeSchema,
  run_id: z.string(),
  owner_user_id: z.string(),
  receiver_user_id: z.string()
})
export type Violation = z.infer<typeof violationSchema>

/**
 * A batch of deliveries judged in the worker (DeliveryJudge), flat arrays so that thousands a second cross the
 * thread boundary cheaply. `latencies` has one entry per delivery, in arrival order; `violationAt` the indices of
 * those that reached the wrong user. In `inspect` mode `delivered` holds every delivery's agent_event_delivered
 * members as UTF-8, back to back (JSON text, see InspectionBus.emitEncoded), `deliveredEnds` where each one
 * ends; `violations` each violation's isolation_violation (rare: sent as objects), `runs` the steps each run's owner received
 * ("01234"), `tallies` [user_id, received, own, foreign] per receiver. In `count` mode those are empty.
 *
 * Why bytes: posted as strings, each delivery's members were copied into the runtime's heap, joined into a line
 * and encoded again there; bytes are handed over without a copy and go into the history as they are.
 */
export const judgedDeliveriesSchema = z
  .strictObject({
    latencies: z.array(z.number().nonnegative()),
    delivered: z.instanceof(Uint8Array),
    deliveredEnds: z.array(z.number().int().nonnegative()),
    violationAt: z.array(z.number().int().nonnegative()),
    violations: z.array(violationSchema),
    runs: z.array(z.tuple([z.string(), z.string().regex(/^[0-4]*$/)])),
    tallies: z.array(z.tuple([z.string(), z.number().int(), z.number().int(), z.number().int()]))
  })
  .refine((batch) => endsCut(batch.deliveredEnds, batch.delivered, batch.latencies.length), {
    message: 'deliveredEnds must cut delivered into one piece per delivery, in order',
    path: ['deliveredEnds']
  })
export type JudgedDeliveries = z.infer<typeof judgedDeliveriesSchema>

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
  z.strictObject({ type: z.literal('deliveries'), batch: judgedDeliveriesSchema }),
  z.strictObject({ type: z.literal('refused_run'), user_id: z.string(), message: z.string() }),
  z.strictObject({ type: z.literal('done'), requestId: z.number().int() })
])
export type WorkerReport = z.infer<typeof workerReportSchema>

const everyOf = (value: unknown, check: (item: unknown) => boolean): boolean =>
  Array.isArray(value) && value.every(check)
const isString = (item: unknown): boolean => typeof item === 'string'
const isLatency = (item: unknown): boolean => Number.isFinite(item) && (item as number) >= 0

/**
 * Whether `ends` cut `bytes` into one piece per delivery: as many as the latencies, in order, within the bytes.
 * Both are empty in count mode.
 */
function endsCut(ends: unknown, bytes: unknown, deliveries: number): boolean {
  if (!(bytes instanceof Uint8Array) || !Array.isArray(ends)) return false
  if (ends.length === 0) return bytes.length === 0
  if (ends.length !== deliveries) return false
  let previous = 0
  for (const end of ends as unknown[]) {
    if (!Number.isInteger(end) || (end as number) < previous) return false
    previous = end as number
  }
  return previous === bytes.length
}

/** The check judgedDeliveriesSchema makes, by hand: it runs for every batch, and zod's cost grew with its length. */
function isJudgedDeliveries(value: unknown): value is JudgedDeliveries {
  if (typeof value !== 'object' || value === null) return false
  const batch = value as Record<string, unknown>
  return (
    Object.keys(batch).length === 7 &&
    everyOf(batch.latencies, isLatency) &&
    endsCut(batch.deliveredEnds, batch.delivered, (batch.latencies as unknown[]).length) &&
    everyOf(batch.violationAt, (item) => Number.isInteger(item) && (item as number) >= 0) &&
    everyOf(batch.violations, (item) => violationSchema.safeParse(item).success) &&
    everyOf(
      batch.runs,
      (run) => Array.isArray(run) && run.length === 2 && isString(run[0]) && /^[0-4]*$/.test(run[1] as string)
    ) &&
    everyOf(
      batch.tallies,
      (tally) =>
        Array.isArray(tally) &&
        tally.length === 4 &&
        isString(tally[0]) &&
        tally.slice(1).every((count) => Number.isInteger(count))
    )
  )
}

/**
 * Parses a worker report as workerReportSchema does, with a hand-written fast path for delivery batches (the hot
 * path). Anything the fast path does not accept goes through zod, which then names what is wrong.
 */
export function parseWorkerReport(raw: unknown): WorkerReport {
  if (typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'deliveries') {
    const { batch, ...rest } = raw as { batch?: unknown }
    if (Object.keys(rest).length === 1 && isJudgedDeliveries(batch)) return { type: 'deliveries', batch }
  }
  return workerReportSchema.parse(raw)
}
