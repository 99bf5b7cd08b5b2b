import { AGENT_EVENT_TYPES, type AgentEventType } from '../../../shared/agentEvents'
import { isPlainJsonString, jsonString } from '../../../shared/json'
import { copyInto, MAX_MICROS_BYTES, writeDigits, writeLatin1, writeMicros } from '../inspection/byteWriting'

/** A payload that never changes (deep-frozen, so it cannot): its frames reuse its JSON, made once. */
export class ConstantPayload {
  /** The `,"payload":…}}` end of a frame. */
  readonly frameEnd: Buffer

  constructor(readonly value: Readonly<Record<string, unknown>>) {
    const freeze = (member: unknown): void => {
      if (typeof member !== 'object' || member === null) return
      Object.freeze(member)
      for (const inner of Object.values(member)) freeze(inner)
    }
    freeze(value)
    this.frameEnd = Buffer.from(`,"payload":${JSON.stringify(value)}}}`)
  }
}

/** What an agent step carries to its user: any JSON object, or one declared constant. */
export type Payload = Record<string, unknown> | ConstantPayload

/** The ids every event of a run carries. */
export interface RunIds {
  user_id: string
  thread_id: string
  run_id: string
}

/** The parts of an agent_event frame that are the same in every run, per type or step where they depend on it. */
const FRAME_HEAD = Buffer.from('{"type":"agent_event","event":{"event_id":')
const QUOTE = Buffer.from('"')
const EVENT_ID_KEY = Buffer.from('"event_id":')
const piecesByType = (piece: (type: AgentEventType) => string): Readonly<Record<AgentEventType, Buffer>> =>
  Object.freeze(
    Object.fromEntries(AGENT_EVENT_TYPES.map((type) => [type, Buffer.from(piece(type))])) as Record<
      AgentEventType,
      Buffer
    >
  )
const TYPE_PIECES = piecesByType((type) => `,"type":"${type}",`)
const EMITTED_TYPE_PIECES = piecesByType((type) => `,"type":"${type}"`)
const STEP_PIECES: readonly Buffer[] = Object.freeze(
  AGENT_EVENT_TYPES.map((_, step) => Buffer.from(`,"step":${step},"emitted_at":`))
)

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

/**
 * Where a bridge's serializers write frames and members: reused, since what is written is copied (into each
 * recipient's queue, into the history) before the next is made. One per bridge, never shared between runtimes.
 */
export class SerializerScratch {
  private frameBytes = Buffer.allocUnsafeSlow(16 * 1024)
  private membersBytes = Buffer.allocUnsafeSlow(4 * 1024)

  frame(need: number): Buffer {
    if (need > this.frameBytes.length)
      this.frameBytes = Buffer.allocUnsafeSlow(Math.max(need, 2 * this.frameBytes.length))
    return this.frameBytes
  }

  members(need: number): Buffer {
    if (need > this.membersBytes.length)
      this.membersBytes = Buffer.allocUnsafeSlow(Math.max(need, 2 * this.membersBytes.length))
    return this.membersBytes
  }
}

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

  constructor(
    ids: RunIds,
    managerId: string,
    private readonly scratch: SerializerScratch
  ) {
    const user = jsonString(ids.user_id)
    const run = jsonString(ids.run_id)
    this.idsPiece = Buffer.from(`"user_id":${user},"thread_id":${jsonString(ids.thread_id)},"run_id":${run}`)
    this.emittedIds = `"user_id":${user},"run_id":${run},"manager_id":${jsonString(managerId)}`
    this.emittedPiece = Buffer.from(`,${this.emittedIds},"recipients":`)
  }

  /**
   * The frame sent to the user, {"type":"agent_event","event":{...}} with members in AgentEvent's order, as UTF-8.
   * The view is valid until the next frame is made on the same scratch: recipients copy it.
   */
  frame(
    eventId: string,
    type: AgentEventType,
    step: number,
    emittedAt: number,
    payload: Payload
  ): Uint8Array {
    const id = isPlainJsonString(eventId) ? eventId : null
    const quotedId = id === null ? jsonString(eventId) : ''
    const end =
      payload instanceof ConstantPayload ? payload.frameEnd : `,"payload":${JSON.stringify(payload)}}}`
    const typeBytes = TYPE_PIECES[type]
    const stepBytes = STEP_PIECES[step] ?? Buffer.from(`,"step":${step},"emitted_at":`)
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
    const out = this.scratch.frame(need)
    let length = writeQuotedId(out, copyInto(FRAME_HEAD, out, 0), id, quotedId)
    length = copyInto(typeBytes, out, length)
    length = copyInto(this.idsPiece, out, length)
    length = copyInto(stepBytes, out, length)
    length = writeMicros(out, length, emittedAt)
    if (typeof end === 'string') length += out.write(end, length, 'utf8')
    else length = copyInto(end, out, length)
    return out.subarray(0, length)
  }

  /**
   * agent_event_emitted's members as UTF-8, for InspectionBus.emitEncoded, written from pieces as frames are. The
   * view is valid until the next call on a serializer of the same scratch.
   */
  emittedMembersBytes(eventId: string, type: AgentEventType, recipients: number): Uint8Array {
    const quotedId = isPlainJsonString(eventId) ? null : jsonString(eventId)
    const typeBytes = EMITTED_TYPE_PIECES[type]
    const need =
      EVENT_ID_KEY.length +
      3 * (quotedId ?? eventId).length +
      2 +
      typeBytes.length +
      this.emittedPiece.length +
      32
    const out = this.scratch.members(need)
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
