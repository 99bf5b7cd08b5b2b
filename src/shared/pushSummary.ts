import { z } from 'zod'
import { agentEventTypeSchema } from './agentEvents'
import { inspectionEventSchema, type InspectionKind } from './inspection'

/**
 * What the web-mode control channel sends instead of events a tab was too far behind to take (docs/security.md,
 * "Slow consumers"): the shed events as exact counts, per user where they name one. Events that must not be lost
 * (everything but runs and their agent events delivered to their own user) travel as events in the `events` push
 * just before the summary, up to a bound; past it they are counted here too.
 */
const count = z.number().int().nonnegative()

const inspectionKinds = inspectionEventSchema.options.map((option) => option.shape.kind.value) as [
  InspectionKind,
  ...InspectionKind[]
]

export const userSummarySchema = z.strictObject({
  /** Agent events this user's runs emitted. */
  emitted: count,
  /** Agent events delivered to this user, by type (another user's events included, see `delivered_foreign`). */
  delivered: z.partialRecord(agentEventTypeSchema, count),
  /** Of those, deliveries of another user's events. */
  delivered_foreign: count,
  /** Sum and maximum of the summarised deliveries' latency_ms. */
  latency_total_ms: z.number().nonnegative(),
  latency_max_ms: z.number().nonnegative(),
  runs_started: count,
  runs_completed: count,
  /** isolation_violation events with this user as the receiver, and as the owner. */
  violations_received: count,
  violations_leaked: count,
  /** events_missing and events_out_of_order reports for this user. */
  missing_reports: count
})
export type UserSummary = z.infer<typeof userSummarySchema>

export const pushSummarySchema = z.strictObject({
  /** The first and last seq the summary covers; the events sent with it lie in this range too. */
  from_seq: count,
  to_seq: count,
  /** Every event the summary counts, whatever its kind. */
  events: count,
  users: z.record(z.string(), userSummarySchema),
  /** Agent events emitted, by the manager that emitted them. */
  managers: z.record(z.string(), count),
  /** Summarised events of kinds counted only by kind (no per-user figures above). */
  other: z.partialRecord(z.enum(inspectionKinds), count)
})
export type PushSummary = z.infer<typeof pushSummarySchema>

export function emptyUserSummary(): UserSummary {
  return {
    emitted: 0,
    delivered: {},
    delivered_foreign: 0,
    latency_total_ms: 0,
    latency_max_ms: 0,
    runs_started: 0,
    runs_completed: 0,
    violations_received: 0,
    violations_leaked: 0,
    missing_reports: 0
  }
}
