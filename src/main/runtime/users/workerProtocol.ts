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
 * A batch of deliveries judged in the worker (DeliveryJudge), in typed arrays so that thousands a second cross the
 * thread boundary without a copy (their buffers go in the transfer list, see transferablesOf) and are checked here
 * once per array rather than once per number. `latencies` has one entry per delivery, in arrival order;
 * `violationAt` the indices of those that reached the wrong user, ascending. In `inspect` mode `delivered` holds
 * every delivery's agent_event_delivered members as UTF-8, back to back (JSON text, see InspectionBus.emitEncoded),
 * `deliveredEnds` where each one ends; `violations` each violation's isolation_violation (rare: sent as objects),
 * `runSteps` the steps each of `runIds` had its owner receive ("01234"), `tallyCounts` how many deliveries each of
 * `tallyUsers` received of its own runs' events and of others' (two counts per user). In `count` mode those are
 * empty. Runs and tallies are parallel arrays, not [id, ...] tuples, so that checking them costs little too.
 *
 * Why bytes: posted as strings, each delivery's members were copied into the runtime's heap, joined into a line
 * and encoded again there; bytes are handed over without a copy and go into the history as they are.
 */
export const judgedDeliveriesSchema = z
  .strictObject({
    latencies: z.instanceof(Float64Array),
    delivered: z.instanceof(Uint8Array),
    deliveredEnds: z.instanceof(Uint32Array),
    violationAt: z.instanceof(Uint32Array),
    violations: z.array(violationSchema),
    runIds: z.array(z.string()),
    runSteps: z.array(z.string().regex(/^[0-4]*$/)),
    tallyUsers: z.array(z.string()),
    tallyCounts: z.instanceof(Uint32Array)
  })
  .superRefine((batch, ctx) => {
    const problem = (path: Array<string | number>, message: string): void => {
      ctx.addIssue({ code: 'custom', path, message })
    }
    const deliveries = batch.latencies.length
    const badLatency = firstBadLatency(batch.latencies)
    if (badLatency >= 0)
      problem(
        ['latencies', badLatency],
        `latencies must be finite and >= 0, found ${batch.latencies[badLatency]}`
      )
    if (!endsCut(batch.deliveredEnds, batch.delivered.length, deliveries))
      problem(['deliveredEnds'], 'deliveredEnds must cut delivered into one piece per delivery, in order')
    const badIndex = firstBadIndex(batch.violationAt, deliveries)
    if (badIndex >= 0)
      problem(['violationAt', badIndex], `violationAt must ascend, each below the ${deliveries} deliveries`)
    // In inspect mode every violation comes with its isolation_violation; count mode sends none.
    const inspect = batch.deliveredEnds.length > 0
    if (inspect && batch.violations.length !== batch.violationAt.length)
      problem(
        ['violations'],
        `violations must have one entry per violationAt index (${batch.violationAt.length})`
      )
    if (batch.runSteps.length !== batch.runIds.length)
      problem(['runSteps'], `runSteps must have one entry per run id (${batch.runIds.length})`)
    if (batch.tallyCounts.length !== 2 * batch.tallyUsers.length)
      problem(
        ['tallyCounts'],
        `tallyCounts must hold two counts per tally user (${2 * batch.tallyUsers.length})`
      )
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

/** The index of the first latency that is negative, NaN or infinite; -1 if none. */
function firstBadLatency(latencies: Float64Array): number {
  for (let index = 0; index < latencies.length; index++) {
    const latency = latencies[index] as number
    // Written so that NaN fails too.
    if (!(latency >= 0 && latency < Infinity)) return index
  }
  return -1
}

/**
 * Whether `ends` cut `bytes` bytes into one piece per delivery: as many as the deliveries, in order, ending at the
 * last byte. Both are empty in count mode.
 */
function endsCut(ends: Uint32Array, bytes: number, deliveries: number): boolean {
  if (ends.length === 0) return bytes === 0
  if (ends.length !== deliveries) return false
  let previous = 0
  for (let index = 0; index < ends.length; index++) {
    const end = ends[index] as number
    if (end < previous) return false
    previous = end
  }
  return previous === bytes
}

/**
 * The index of the first violationAt entry that is not above the one before it or not below `deliveries`; -1 if
 * none.
 */
function firstBadIndex(violationAt: Uint32Array, deliveries: number): number {
  let previous = -1
  for (let index = 0; index < violationAt.length; index++) {
    const at = violationAt[index] as number
    if (at <= previous || at >= deliveries) return index
    previous = at
  }
  return -1
}
