import type { AgentEventType } from '../../../shared/agentEvents'
import type { ContextIds } from '../../../shared/context'
import { isPlainJsonString, jsonString } from '../../../shared/json'
import { copyInto, MAX_MICROS_BYTES, writeDigits, writeLatin1, writeMicros } from '../inspection/byteWriting'

/** The `,"payload":…}}` end of a frame, for payloads declared constant: made once, not per event. */
const constantFrameEnds = new WeakMap<object, Buffer>()

/** Declares a payload that never changes (deep-frozen, so it cannot), letting every frame reuse its JSON. */
export function constantPayload<T extends Record<string, unknown>>(payload: T): T {
  const freeze = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return
    Object.freeze(value)
    for (const member of Object.values(value)) freeze(member)
  }
  freeze(payload)
  constantFrameEnds.set(payload, Buffer.from(`,"payload":${JSON.stringify(payload)}}}`))
  return payload
}

/** The ids every event of a run carries. */
export interface RunIds {
  user_id: string
  thread_id: string
  run_id: string
}

/** The parts of an agent_event frame that are the same in every run, per step where they depend on it. */
const FRAME_HEAD = Buffer.from('{"type":"agent_event","event":{"event_id":')
const QUOTE = Buffer.from('"')
const TYPE_PIECES = new Map<string, Buffer>()
const STEP_PIECES: Buffer[] = []
const typePiece = (type: AgentEventType): Buffer => {
  let piece = TYPE_PIECES.get(type)
  if (!piece) TYPE_PIECES.set(type, (piece = Buffer.from(`,"type":"${type}",`)))
  return piece
}
const stepPiece = (step: number): Buffer =>
  (STEP_PIECES[step] ??= Buffer.from(`,"step":${step},"emitted_at":`))

const EVENT_ID_KEY = Buffer.from('"event_id":')
const EMITTED_TYPE_PIECES = new Map<string, Buffer>()
const emittedTypePiece = (type: AgentEventType): Buffer => {
  let piece = EMITTED_TYPE_PIECES.get(type)
  if (!piece) EMITTED_TYPE_PIECES.set(type, (piece = Buffer.from(`,"type":"${type}"`)))
  return piece
}
/**
 * Writes an event id as JSON at `at`: `plain` (an id that needs no escaping) between quotes, else `quoted`, the id
 * already escaped. Returns the offset after it.
 */
function writeQuotedId(out: Buffer, at: number, plain: string | null, quoted: string): number {
  if (plain === null) return at + out.write(quoted, at, 'utf8')
  let length = copyInto(QUOTE, out, at)
  length = writeLatin1(out, length, plain)
  return copyInto(QUOTE, out, length)
}

/** Where agent_event_emitted's members are written, reused like the frames' buffer. */
let membersScratch = Buffer.allocUnsafeSlow(4 * 1024)

/**
 * Where frames are written: one buffer, reused, since a frame is copied into each recipient's outgoing queue
 * before the next is made.
 */
let scratch = Buffer.allocUnsafeSlow(16 * 1024)

/**
 * Serializes one run's agent_event frames and agent_event_emitted members by hand, around the parts that change
 * per event. The run's ids are escaped once, when the run starts. A frame is written as UTF-8 straight from
 * pieces made once (per run, per step, or for good), never built as a string: under load, the strings and their
 * flattening were a third of what the runtime's thread allocated, and the collector's work followed.
 * The bytes are exactly JSON.stringify({ type: 'agent_event', event }) in UTF-8: a test holds them to that.
 */
export class RunSerializer {
  private readonly idsPiece: Buffer
  private readonly emittedIds: string
  /** `,<emittedIds>,"recipients":` as UTF-8. */
  private readonly emittedPiece: Buffer

  constructor(ids: RunIds, managerId: string) {
    const user = jsonString(ids.user_id)
    const run = jsonString(ids.run_id)
    this.idsPiece = Buffer.from(`"user_id":${user},"thread_id":${jsonString(ids.thread_id)},"run_id":${run}`)
    this.emittedIds = `"user_id":${user},"run_id":${run},"manager_id":${jsonString(managerId)}`
    this.emittedPiece = Buffer.from(`,${this.emittedIds},"recipients":`)
  }

  /**
   * The frame sent to the user, {"type":"agent_event","event":{...}} with members in AgentEvent's order, as UTF-8.
   * The view is valid until the next frame is made by any serializer: recipients copy it.
   */
  frame(
    eventId: string,
    type: AgentEventType,
    step: number,
    emittedAt: number,
    payload: Record<string, unknown>
  ): Uint8Array {
    const id = isPlainJsonString(eventId) ? eventId : null
    const quotedId = id === null ? jsonString(eventId) : ''
    const end = constantFrameEnds.get(payload) ?? `,"payload":${JSON.stringify(payload)}}}`
    const typeBytes = typePiece(type)
    const stepBytes = stepPiece(step)
    // Room for the worst case (three bytes a UTF-16 unit) of the parts that are text.
    const textUnits = (id?.length ?? quotedId.length) + 2 + (typeof end === 'string' ? end.length : 0)
    const need =
      FRAME_HEAD.length +
      typeBytes.length +
      this.idsPiece.length +
      stepBytes.length +
      MAX_MICROS_BYTES +
      (typeof end === 'string' ? 0 : end.length) +
      3 * textUnits
    if (need > scratch.length) scratch = Buffer.allocUnsafeSlow(Math.max(need, 2 * scratch.length))
    const out = scratch
    let length = writeQuotedId(out, copyInto(FRAME_HEAD, out, 0), id, quotedId)
    length = copyInto(typeBytes, out, length)
    length = copyInto(this.idsPiece, out, length)
    length = copyInto(stepBytes, out, length)
    length = writeMicros(out, length, emittedAt)
    if (typeof end === 'string') length += out.write(end, length, 'utf8')
    else length = copyInto(end, out, length)
    return out.subarray(0, length)
  }

  /** agent_event_emitted's members for InspectionBus.emitSerialized. */
  emittedMembers(eventId: string, type: AgentEventType, recipients: number): string {
    return `"event_id":${jsonString(eventId)},"type":"${type}",${this.emittedIds},"recipients":${recipients}`
  }

  /**
   * The same members as UTF-8, for InspectionBus.emitMembers, written from pieces as frames are. The view is valid
   * until the next call on any serializer.
   */
  emittedMembersBytes(eventId: string, type: AgentEventType, recipients: number): Uint8Array {
    const quotedId = isPlainJsonString(eventId) ? null : jsonString(eventId)
    const typeBytes = emittedTypePiece(type)
    const need =
      EVENT_ID_KEY.length +
      3 * (quotedId ?? eventId).length +
      2 +
      typeBytes.length +
      this.emittedPiece.length +
      32
    if (need > membersScratch.length)
      membersScratch = Buffer.allocUnsafeSlow(Math.max(need, 2 * membersScratch.length))
    const out = membersScratch
    let length = writeQuotedId(
      out,
      copyInto(EVENT_ID_KEY, out, 0),
      quotedId === null ? eventId : null,
      quotedId ?? ''
    )
    length = copyInto(typeBytes, out, length)
    length = copyInto(this.emittedPiece, out, length)
    length = writeDigits(out, length, recipients)
    return out.subarray(0, length)
  }
}

/** run_started's members for InspectionBus.emitSerialized, as JSON.stringify writes { context }. */
export function runStartedMembers(context: ContextIds): string {
  return (
    `"context":{"user_id":${jsonString(context.user_id)},"thread_id":${jsonString(context.thread_id)},` +
    `"run_id":${jsonString(context.run_id)},"request_id":${jsonString(context.request_id)}}`
  )
}

/** run_completed's members for InspectionBus.emitSerialized. */
export function runCompletedMembers(runId: string, userId: string, emitted: number): string {
  return `"run_id":${jsonString(runId)},"user_id":${jsonString(userId)},"emitted":${emitted}`
}
