import type { AgentEventType } from '../../shared/agentEvents'
import type { TargetFile } from '../../shared/targetFile'
import type { Receiver } from '../runtime/audit/isolationAuditor'
import type { ReadFrame } from './frameReader'
import { renderTemplate, TemplateError, type TemplateVariables } from './template'

type Answer = Extract<ReadFrame, { kind: 'answer' }>

/** The owner an ownership rule gives an event without owner ids, or why it cannot give one. */
export type Owned =
  | { ok: true; userId: string; runId: string; threadId: string | null; run: number | null }
  | {
      ok: false
      problem: string
      runId: string | null
      /** The request id read, when no user is known to have sent it (yet: a captured id may be noted later). */
      unknownId?: string
    }

/** What the rule needs to know of a user: who it is and the variables its templates are rendered with. */
export interface RequestingUser {
  userId: string
  variables: TemplateVariables
}

/** Where a connection is in its sequence of runs, when the backend gives no run ids. */
interface ConnectionRun {
  k: number
  seen: boolean
  ended: boolean
}

/**
 * events.ownership for backends whose events carry no owner ids.
 *
 * "request": an event answers a request; the request id it carries (events.requestId) names the user and run
 * that sent that id (events.requestIdSent, rendered per user and run). An id no user sent cannot be judged.
 *
 * "connection": everything that arrives on a user's connection is that user's. Runs are the backend's run ids
 * when the frames have them (events.runId), else the order of the events: the first expected type, or any event
 * after the last expected type, opens the connection's next run.
 */
export class OwnershipRule {
  private readonly requests = new Map<string, { userId: string; run: number }>()
  private readonly connectionRuns = new Map<string, ConnectionRun>()

  constructor(
    private readonly file: TargetFile,
    private readonly expected: readonly AgentEventType[]
  ) {}

  /** The request ids a user sends in runs 1..runs, known before they are sent (ids that need no capture). */
  noteUsers(users: readonly RequestingUser[], runs: number): void {
    const template = this.file.events.requestIdSent
    if (this.file.events.ownership !== 'request' || template === undefined) return
    if (template.includes('{{captured.')) return
    for (const user of users) for (let run = 1; run <= runs; run++) this.noteRequest(user, run, {})
  }

  /**
   * The id of run `run` of `user`, rendered with what the run captured so far (an ack's job id); returns it, or
   * null when it cannot be rendered yet.
   */
  noteRequest(user: RequestingUser, run: number, captured: Readonly<Record<string, string>>): string | null {
    const template = this.file.events.requestIdSent
    if (this.file.events.ownership !== 'request' || template === undefined) return null
    const variables: Record<string, string> = { ...user.variables, run: String(run) }
    for (const [name, value] of Object.entries(captured)) variables[`captured.${name}`] = value
    let id: string
    try {
      id = renderTemplate('events.requestIdSent', template, variables)
    } catch (error) {
      // A capture the id needs is not made yet (prepareTarget checked every other variable): a later step's.
      if (error instanceof TemplateError) return null
      throw error
    }
    this.requests.set(id, { userId: user.userId, run })
    return id
  }

  ownerOf(receiver: Receiver, frame: Answer): Owned {
    if (this.file.events.ownership === 'request') return this.byRequest(frame)
    const runId = frame.runId ?? this.connectionRunId(receiver, frame.role)
    return { ok: true, userId: receiver.user_id, runId, threadId: frame.threadId, run: null }
  }

  private byRequest(frame: Answer): Owned {
    const read = frame.requestId
    if (read === null)
      return { ok: false, problem: 'no request id read (events.requestId)', runId: frame.runId }
    if (!read.ok) return { ok: false, problem: read.problem, runId: frame.runId }
    const request = this.requests.get(read.value)
    if (request === undefined)
      return {
        ok: false,
        problem: `request id '${excerpt(read.value)}' is not one any user sent (events.requestIdSent)`,
        runId: frame.runId,
        unknownId: read.value
      }
    // The request is the run: its id is what the backend and the user both know it by.
    return { ok: true, userId: request.userId, runId: read.value, threadId: frame.threadId, run: request.run }
  }

  private connectionRunId(receiver: Receiver, role: AgentEventType): string {
    let run = this.connectionRuns.get(receiver.connection_id)
    if (run === undefined) {
      run = { k: 1, seen: false, ended: false }
      this.connectionRuns.set(receiver.connection_id, run)
    }
    if (run.ended || (run.seen && role === this.expected[0])) {
      run.k += 1
      run.ended = false
    }
    run.seen = true
    if (role === this.expected.at(-1)) run.ended = true
    // Each connection counts its own runs, but a user's k-th run is the same run on every one of its tabs.
    return `(by connection) ${receiver.user_id} #${run.k}`
  }
}

const excerpt = (text: string): string => (text.length > 80 ? `${text.slice(0, 80)}…` : text)
