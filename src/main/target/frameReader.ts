import type { AgentEventType } from '../../shared/agentEvents'
import { parseJson } from '../../shared/json'
import type { TargetFile } from '../../shared/targetFile'
import { idAt, idProblem, parseFramePath, valueAt } from './framePath'

export type ReadFrame =
  | { kind: 'unparsed'; problem: string }
  /** Not an agent event: the ready frame, an ignored type, a server error, or a type the file does not name. */
  | { kind: 'ignored' | 'server_error' | 'other'; type: string }
  | { kind: 'unreadable'; role: AgentEventType; type: string; problem: string; runId: string | null }
  | {
      kind: 'event'
      role: AgentEventType
      type: string
      userId: string
      runId: string
      threadId: string | null
      eventId: string | null
      emittedAt: number | null
    }
  /**
   * An expected event read without owner ids (ownership "request" or "connection"): the session gives it an owner
   * by the ownership rule. `requestId` is the id of the request it answers, when the rule reads one.
   */
  | {
      kind: 'answer'
      role: AgentEventType
      type: string
      requestId: { ok: true; value: string } | { ok: false; problem: string } | null
      runId: string | null
      threadId: string | null
      eventId: string | null
      emittedAt: number | null
    }

/** Builds the reader of one target's frames from the file's `events` section, paths split once. */
export function createFrameReader(file: TargetFile): (text: string) => ReadFrame {
  const events = file.events
  const path = (text: string) => ({ text, segments: parseFramePath(text) })
  // Several places, tried in order: a protocol's own frames (acks, completions) may keep the type elsewhere.
  const types = (typeof events.type === 'string' ? [events.type] : events.type).map(path)
  const userId = path(events.userId)
  const runId = path(events.runId)
  const threadId = events.threadId ? path(events.threadId) : null
  const eventId = events.eventId ? path(events.eventId) : null
  const emittedAt = events.emittedAt ? path(events.emittedAt) : null
  const requestId = events.ownership === 'request' && events.requestId ? path(events.requestId) : null
  const roleOf = new Map<string, AgentEventType>()
  for (const [role, name] of Object.entries(events.types)) roleOf.set(name, role as AgentEventType)
  const ignored = new Set([...events.ignore, ...(file.ready ? [file.ready.type] : [])])

  const optionalId = (at: { segments: string[] } | null, frame: unknown): string | null =>
    at === null ? null : idAt(frame, at.segments)
  const time = (frame: unknown): number | null =>
    emittedAt === null ? null : readTime(valueAt(frame, emittedAt.segments))

  return (text) => {
    const parsed = parseJson(text)
    if (!parsed.ok) return { kind: 'unparsed', problem: `not JSON: ${parsed.error}` }
    const frame = parsed.value
    let frameType: string | null = null
    for (let at = 0; at < types.length && frameType === null; at++)
      frameType = idAt(frame, (types[at] as { segments: string[] }).segments)
    if (frameType === null)
      return {
        kind: 'unparsed',
        problem: `no readable type: ${types.map((type) => idProblem(frame, type.segments, type.text)).join('; ')}`
      }
    if (ignored.has(frameType)) return { kind: 'ignored', type: frameType }
    if (frameType === events.errorType) return { kind: 'server_error', type: frameType }
    const role = roleOf.get(frameType)
    if (!role) return { kind: 'other', type: frameType }
    if (events.ownership !== 'ids') {
      const request = requestId === null ? null : idAt(frame, requestId.segments)
      return {
        kind: 'answer',
        role,
        type: frameType,
        requestId:
          requestId === null
            ? null
            : request !== null
              ? { ok: true, value: request }
              : { ok: false, problem: idProblem(frame, requestId.segments, requestId.text) },
        runId: optionalId(runId, frame),
        threadId: optionalId(threadId, frame),
        eventId: optionalId(eventId, frame),
        emittedAt: time(frame)
      }
    }
    const user = idAt(frame, userId.segments)
    const run = idAt(frame, runId.segments)
    if (user === null || run === null) {
      const problems = [
        ...(user === null ? [idProblem(frame, userId.segments, userId.text)] : []),
        ...(run === null ? [idProblem(frame, runId.segments, runId.text)] : [])
      ]
      return { kind: 'unreadable', role, type: frameType, problem: problems.join('; '), runId: run }
    }
    return {
      kind: 'event',
      role,
      type: frameType,
      userId: user,
      runId: run,
      threadId: optionalId(threadId, frame),
      eventId: optionalId(eventId, frame),
      emittedAt: time(frame)
    }
  }
}

/** A send time in ms since the epoch, as a number or a date string; anything else is no time. */
function readTime(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string') {
    const time = Date.parse(value)
    return Number.isNaN(time) ? null : time
  }
  return null
}
