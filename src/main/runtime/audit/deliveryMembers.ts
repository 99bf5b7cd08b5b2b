import { AGENT_EVENT_TYPES, type AgentEventType } from '../../../shared/agentEvents'
import { copyInto } from '../inspection/byteWriting'
import { microText } from '../../../shared/numberText'

/**
 * The members of the two per-delivery inspection events as JSON text, for InspectionBus.emitEncoded: built
 * where the users live (a worker thread) so that the runtime's thread never turns a delivery into an object.
 * Strings are escaped as JSON.stringify escapes them; the type is one of the five names the client's frame schema
 * admits, and the latency a finite number. A test holds the lines, parsed with the inspection schema, to what each
 * delivery calls for.
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
  return `${violation},"latency_ms":${microText(latencyMs)}`
}

/**
 * agent_event_delivered's members as UTF-8 pieces, for a judge that writes bytes: `"event_id":"`, the id (one that
 * needs no escaping), the type's piece, the run's piece (see writeOwnRunPiece), then the latency's digits. Together
 * they are exactly deliveredMembers' text for a delivery that reached its owner.
 */
export const EVENT_ID_PIECE = Buffer.from('"event_id":"')
export const TYPE_PIECES: Readonly<Record<AgentEventType, Buffer>> = Object.fromEntries(
  AGENT_EVENT_TYPES.map((type) => [type, Buffer.from(`","type":"${type}"`)])
) as Record<AgentEventType, Buffer>

const RUN_ID_KEY = Buffer.from(',"run_id":')
const OWNER_KEY = Buffer.from(',"owner_user_id":')
const RECEIVER_KEY = Buffer.from(',"receiver_user_id":')
const LATENCY_KEY = Buffer.from(',"latency_ms":')

/** Bytes writeOwnRunPiece may need for ids of these lengths (UTF-16 units), at most. */
export const ownRunPieceRoom = (quotedRunId: string, quotedUser: string): number =>
  RUN_ID_KEY.length +
  OWNER_KEY.length +
  RECEIVER_KEY.length +
  LATENCY_KEY.length +
  3 * (quotedRunId.length + 2 * quotedUser.length)

/**
 * Writes the piece between the type and the latency when the run's owner received it (owner and receiver are one)
 * at `at`, returning the offset after it. A judge writes it once per run and batch and copies it for the run's
 * other events: making it a Buffer of its own per run was a seventh of what the judge allocated.
 */
export function writeOwnRunPiece(
  target: Buffer,
  at: number,
  quotedRunId: string,
  quotedUser: string
): number {
  let end = copyInto(RUN_ID_KEY, target, at)
  end += target.write(quotedRunId, end, 'utf8')
  end = copyInto(OWNER_KEY, target, end)
  end += target.write(quotedUser, end, 'utf8')
  end = copyInto(RECEIVER_KEY, target, end)
  end += target.write(quotedUser, end, 'utf8')
  return copyInto(LATENCY_KEY, target, end)
}
