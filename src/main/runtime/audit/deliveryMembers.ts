import type { AgentEventType } from '../../../shared/agentEvents'

/**
 * The members of the two per-delivery inspection events as JSON text, for InspectionBus.emitSerialized: built
 * where the users live (a worker thread) so that the runtime's thread never turns a delivery into an object.
 * Strings are escaped as JSON.stringify escapes them; the type is one of the five names the client's frame schema
 * admits, and the latency a finite number. They must match what the auditor's recordDelivery emits: a test
 * compares the lines.
 */

/**
 * isolation_violation: which event, and whose it was and who got it. The ids come as JSON text already (quoted
 * and escaped): a judge quotes each user once, and each run once for its five events.
 */
export function violationMembers(
  quotedEventId: string,
  type: AgentEventType,
  quotedRunId: string,
  quotedOwner: string,
  quotedReceiver: string
): string {
  return (
    `"event_id":${quotedEventId},"type":"${type}","run_id":${quotedRunId},` +
    `"owner_user_id":${quotedOwner},"receiver_user_id":${quotedReceiver}`
  )
}

/** agent_event_delivered: the same members, then the latency. */
export function deliveredMembers(violation: string, latencyMs: number): string {
  return `${violation},"latency_ms":${latencyMs}`
}
