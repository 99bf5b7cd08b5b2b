import { z } from 'zod'

/**
 * Observe mode from the app (docs/observe-mode.md#from-the-app): the replies of observe_start, observe_stop and
 * observe_status. The summary and the relay's counts are the CLI's `observe --json` fields, one for one.
 */
const count = z.number().int().nonnegative()
const perDirection = z.strictObject({ client_to_server: count, server_to_client: count })

export const relaySnapshotSchema = z.strictObject({
  connections: count,
  open: count,
  upgradesRefused: count,
  upstreamFailures: count,
  httpRequests: count,
  bytes: perDirection,
  frames: perDirection,
  messages: perDirection,
  tooLarge: count,
  undecodable: count
})

export const observeSummarySchema = z.strictObject({
  source: z.string(),
  connections: z.strictObject({ total: count, attributed: count, unattributed: count, open: count }),
  users: z.array(
    z.strictObject({
      user_id: z.string(),
      connections: count,
      sent: count,
      received: count,
      leaksReceived: count,
      leaksCaused: count
    })
  ),
  untrackedConnections: count,
  rules: z.array(z.strictObject({ rule: z.string(), named: count })),
  unattributedReasons: z.array(z.strictObject({ reason: z.string(), connections: count })),
  frames: z.strictObject({
    clientToServer: count,
    serverToClient: count,
    binary: count,
    unparsed: count,
    tooLarge: count,
    toUnattributed: count,
    ownerIdUnknown: count
  }),
  leaks: z.strictObject({
    total: count,
    byOwnerId: z.array(
      z.strictObject({ owner: z.string(), receiver: z.string(), pointer: z.string(), frames: count })
    ),
    byCanary: z.array(
      z.strictObject({ owner: z.string(), receiver: z.string(), frames: count, example: z.string() })
    )
  }),
  canaries: z.strictObject({ held: count, learned: count, evicted: count, shared: count })
})

/** What one observation saw: as `observe --json` prints it (exitCode: 0 clean, 1 a leak). */
export const observeOutcomeSchema = z.strictObject({
  summary: observeSummarySchema,
  relay: relaySnapshotSchema,
  exitCode: z.union([z.literal(0), z.literal(1)])
})
export type ObserveOutcome = z.infer<typeof observeOutcomeSchema>

/** observe_start: where clients connect instead of the upstream. */
export const observeStartResultSchema = z.strictObject({
  url: z.string(),
  port: z.number().int().min(1).max(65_535),
  upstream: z.string()
})
export type ObserveStartResult = z.infer<typeof observeStartResultSchema>

/**
 * observe_status: the observation going on (its counts so far), and the last one that ended (stopped from the app,
 * or ended by a runtime restart or the host closing), so a reloaded window still shows its summary.
 */
export const observeStatusResultSchema = z.strictObject({
  running: z
    .strictObject({
      url: z.string(),
      upstream: z.string(),
      rules: z.array(z.string()),
      ownerIds: z.array(z.string()),
      startedAt: z.number(),
      soFar: observeOutcomeSchema
    })
    .nullable(),
  last: observeOutcomeSchema.extend({ endedBy: z.enum(['stop', 'restart']) }).nullable()
})
export type ObserveStatusResult = z.infer<typeof observeStatusResultSchema>
