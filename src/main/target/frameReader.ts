import type { AgentEventType } from '../../shared/agentEvents'
import { parseJson } from '../../shared/json'
import type { TargetFile } from '../../shared/targetFile'
import { parseFramePath, readFramePath, readIdAt } from './framePath'

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
  const type = path(events.type)
  const userId = path(events.userId)
  const runId = path(events.runId)
  const threadId = events.threadId ? path(events.threadId) : null
  const eventId = events.eventId ? path(events.eventId) : null
  const emittedAt = events.emittedAt ? path(events.emittedAt) : null
  const requestId = events.ownership === 'request' && events.requestId ? path(events.requestId) : null
  const roleOf = new Map<string, AgentEventType>()
  for (const [role, name] of Object.entries(events.types)) roleOf.set(name, role as AgentEventType)
  const ignored = new Set([...events.ignore, ...(file.ready ? [file.ready.type] : [])])

  const optionalId = (at: { text: string; segments: string[] } | null, frame: unknown): string | null => {
    if (!at) return null
    const read = readIdAt(frame, at.segments, at.text)
    return read.ok ? String(read.value) : null
  }

  return (text) => {
    const parsed = parseJson(text)
    if (!parsed.ok) return { kind: 'unparsed', problem: `not JSON: ${parsed.error}` }
    const typeRead = readIdAt(parsed.value, type.segments, type.text)
    if (!typeRead.ok) return { kind: 'unparsed', problem: `no readable type: ${typeRead.problem}` }
    const frameType = String(typeRead.value)
    if (ignored.has(frameType)) return { kind: 'ignored', type: frameType }
    if (frameType === events.errorType) return { kind: 'server_error', type: frameType }
    const role = roleOf.get(frameType)
    if (!role) return { kind: 'other', type: frameType }
    const time = () =>
      emittedAt ? readTime(readFramePath(parsed.value, emittedAt.segments, emittedAt.text)) : null
    if (events.ownership !== 'ids') {
      const request = requestId ? readIdAt(parsed.value, requestId.segments, requestId.text) : null
      return {
        kind: 'answer',
        role,
        type: frameType,
        requestId:
          request === null ? null : request.ok ? { ok: true, value: String(request.value) } : request,
        runId: optionalId(runId, parsed.value),
        threadId: optionalId(threadId, parsed.value),
        eventId: optionalId(eventId, parsed.value),
        emittedAt: time()
      }
    }
    const user = readIdAt(parsed.value, userId.segments, userId.text)
    const run = readIdAt(parsed.value, runId.segments, runId.text)
    if (!user.ok || !run.ok) {
      const problem = [user, run].flatMap((read) => (read.ok ? [] : [read.problem])).join('; ')
      return { kind: 'unreadable', role, type: frameType, problem, runId: run.ok ? String(run.value) : null }
    }
    return {
      kind: 'event',
      role,
      type: frameType,
      userId: String(user.value),
      runId: String(run.value),
      threadId: optionalId(threadId, parsed.value),
      eventId: optionalId(eventId, parsed.value),
      emittedAt: time()
    }
  }
}

/** A send time in ms since the epoch, as a number or a date string; anything else is no time. */
function readTime(read: ReturnType<typeof readFramePath>): number | null {
  if (!read.ok) return null
  if (typeof read.value === 'number' && Number.isFinite(read.value)) return read.value
  if (typeof read.value === 'string') {
    const time = Date.parse(read.value)
    return Number.isNaN(time) ? null : time
  }
  return null
}
