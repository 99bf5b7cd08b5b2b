import { AGENT_EVENT_TYPES, type AgentEventType } from '../../shared/agentEvents'
import type { TargetFile } from '../../shared/targetFile'
import { DeliveryJudge } from '../runtime/audit/deliveryJudge'
import { IsolationAuditor, type Receiver } from '../runtime/audit/isolationAuditor'
import type { InspectionBus } from '../runtime/inspection/inspectionBus'
import type { InspectionDraft } from '../../shared/inspection'
import { CanaryIndex } from './canaryIndex'
import { tabOf } from './connectionIds'
import { createFrameReader, type ReadFrame } from './frameReader'
import { OwnershipRule, type Owned } from './ownership'
import type { PreparedUser } from './prepareTarget'
import { targetExitCode, type LeakPair, type TargetReport } from './targetReport'
import { TargetRuns } from './targetRuns'
import { targetVerdict } from './targetVerdict'

type JudgedFrame =
  Exclude<ReadFrame, { kind: 'answer' }> | (Extract<ReadFrame, { kind: 'answer' }> & { owned: Owned })

interface OwnedEvent {
  role: AgentEventType
  userId: string
  runId: string
  threadId: string | null
  eventId: string | null
  emittedAt: number | null
  /** The user's run (1-based) when the ownership rule knows it, for latency from that run's start. */
  run?: number | null
}

const runIdOf = (frame: JudgedFrame): string | null => {
  if (frame.kind === 'event' || frame.kind === 'unreadable') return frame.runId
  if (frame.kind === 'answer') return frame.owned.runId
  return null
}

type AnswerFrame = Extract<JudgedFrame, { kind: 'answer' }>

interface AwaitingAnswer {
  receiver: Receiver
  frame: AnswerFrame
  text: string
  receivedAt: number
}

/** Answers held for a request id not known yet; beyond this many they are judged unreadable at once. */
const AWAITING_ID_LIMIT = 10_000

/** Most deliveries judged before they go to the auditor, within one event-loop turn. */
const JUDGED_BATCH = 512

const EXCERPT_CHARS = 200
const DISTINCT_PROBLEMS = 10
const excerpt = (text: string): string =>
  text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text

interface UserCounts {
  unreadable: number
  canaryLeaks: number
  /** Frames of the last expected type whose owner could not be read: they may end one of this user's runs. */
  unreadableLast: number
}

/**
 * Everything target mode learns from the frames the users receive: each frame is canary-scanned, read, and
 * judged by the runtime's own IsolationAuditor; what cannot be judged is counted and put on the stream.
 */
export class TargetSession {
  readonly expected: AgentEventType[]
  private readonly auditor: IsolationAuditor
  private readonly runs: TargetRuns
  private readonly read: (text: string) => ReadFrame
  private readonly canaries: CanaryIndex
  private readonly counts: Map<string, UserCounts>
  private readonly leaks = new Map<string, LeakPair>()
  private readonly problems = new Map<string, { problem: string; count: number; users: Set<string> }>()
  private readonly warnedTypes = new Set<string>()
  private readonly unsubscribe: () => void
  private readonly ownership: OwnershipRule
  private readonly awaitingId = new Map<string, AwaitingAnswer[]>()
  private awaiting = 0
  private anonymous = 0
  /**
   * A turn's deliveries, judged as they arrive and handed to the auditor together at the end of the turn, as a
   * worker hands over its batches: one batch per delivery cost more than the judging. Anything else this session
   * puts on the stream hands them over first, so its own events keep their order.
   */
  private readonly judged = new DeliveryJudge('inspect')
  private handOverScheduled = false
  /** The last frame read, for isReadyFrame, which is asked of it right after. */
  private lastReadText = ''
  private lastRead: ReadFrame | null = null
  lastFrameAt = performance.now()

  constructor(
    private readonly file: TargetFile,
    private readonly users: readonly PreparedUser[],
    private readonly bus: InspectionBus,
    private readonly report: TargetReport,
    /** When a user sent the start message of its k-th run (0-based), for latency. */
    sentAt: (userId: string, k: number) => number | undefined,
    /** The users this process connects (a shard's); the others' runs are judged by their own shard. */
    local: ReadonlySet<string> | null = null
  ) {
    this.expected = AGENT_EVENT_TYPES.filter((role) => file.events.types[role] !== undefined)
    this.auditor = new IsolationAuditor(bus, { missingGraceMs: 3_600_000, expected: this.expected })
    this.runs = new TargetRuns(
      bus,
      this.lastRole,
      sentAt,
      file.connections,
      (owner) => local?.has(owner) ?? true
    )
    this.read = createFrameReader(file)
    this.ownership = new OwnershipRule(file, this.expected)
    this.canaries = new CanaryIndex(users)
    this.counts = new Map(
      users.map((user) => [user.userId, { unreadable: 0, canaryLeaks: 0, unreadableLast: 0 }])
    )
    const watched = ['isolation_violation', 'events_missing', 'events_out_of_order'] as const
    this.unsubscribe = bus.subscribeKinds(watched, (event) => {
      if (event.kind === 'isolation_violation')
        this.leak(event.owner_user_id, event.receiver_user_id).events += 1
      else if (
        (event.kind === 'events_missing' || event.kind === 'events_out_of_order') &&
        !TargetRuns.isUnseen(event.run_id)
      )
        report.runProblems.push({
          user_id: event.user_id,
          run_id: event.run_id,
          received: event.received.map((role) => this.typeName(role)),
          missing: event.kind === 'events_missing' ? event.missing.map((role) => this.typeName(role)) : []
        })
    })
  }

  /** Whether `text` is the ready frame the file waits for. */
  isReadyFrame(text: string): boolean {
    const frame = this.justRead(text)
    return frame.kind === 'ignored' && frame.type === this.file.ready?.type
  }

  /** Whether `text` is one of the server's error frames (events.errorType). */
  isErrorFrame(text: string): boolean {
    return this.justRead(text).kind === 'server_error'
  }

  /** Asked of the frame onFrame has just read: read once. */
  private justRead(text: string): ReadFrame {
    return this.lastReadText === text && this.lastRead !== null ? this.lastRead : this.read(text)
  }

  /** Runs the user has seen end, counting those whose last event had an unreadable owner (they cannot be told). */
  finishedRuns(userId: string): number {
    return this.runs.finishedBy(userId) + (this.counts.get(userId)?.unreadableLast ?? 0)
  }

  /** Request ids (ownership "request") of runs 1..runs, for ids known before they are sent. */
  noteRuns(runs: number): void {
    this.ownership.noteUsers(this.users, runs)
  }

  /** The request id of a run that was known only once the run had captured values (an ack's job id). */
  noteRequest(user: PreparedUser, run: number, captured: Readonly<Record<string, string>>): void {
    const id = this.ownership.noteRequest(user, run, captured)
    const waiting = id === null ? undefined : this.awaitingId.get(id)
    if (id === null || waiting === undefined) return
    this.awaitingId.delete(id)
    this.awaiting -= waiting.length
    for (const { receiver, frame, text, receivedAt } of waiting)
      this.judge({ ...frame, owned: this.ownership.ownerOf(receiver, frame) }, receiver, text, receivedAt)
  }

  onFrame(receiver: Receiver, text: string, receivedAt: number): void {
    this.lastFrameAt = performance.now()
    this.report.frames.received += 1
    const read = this.read(text)
    this.lastReadText = text
    this.lastRead = read
    // The ownership rule runs once per frame: in connection mode it advances the connection's run sequence.
    const frame: JudgedFrame =
      read.kind === 'answer' ? { ...read, owned: this.ownership.ownerOf(receiver, read) } : read
    for (const owner of this.canaries.foreignOwners(text, receiver.user_id)) {
      this.report.canaryLeaks += 1
      this.leak(owner, receiver.user_id).canaryFrames += 1
      const counts = this.counts.get(receiver.user_id)
      if (counts) counts.canaryLeaks += 1
      this.emit({
        kind: 'canary_leak',
        canary_user_id: owner,
        receiver_user_id: receiver.user_id,
        frame_type: 'type' in frame ? frame.type : null,
        run_id: runIdOf(frame),
        excerpt: excerpt(text)
      })
    }
    this.judge(frame, receiver, text, receivedAt)
  }

  /** Completes the runs and the audit, and fills the report's verdict. */
  finish(started: ReadonlyArray<{ userId: string; runs: number }>): void {
    this.handOver()
    const report = this.report
    // Answers whose request id no user ever turned out to have sent cannot be judged.
    for (const waiting of this.awaitingId.values())
      for (const { receiver, frame, text } of waiting)
        if (frame.owned.ok === false) this.unreadable(receiver, frame.role, frame.owned.problem, text)
    this.awaitingId.clear()
    report.unseenRuns = this.runs.completeAll(started)
    report.runs.unseen = Object.values(report.unseenRuns).reduce((sum, count) => sum + count, 0)
    report.runs.finished = started.reduce(
      (sum, { userId, runs }) => sum + Math.min(runs, this.runs.finishedBy(userId)),
      0
    )
    this.auditor.close()
    this.unsubscribe()
    report.violations = this.auditor.violations
    report.runsWithMissingEvents = this.auditor.runsWithMissingEvents
    report.runsOutOfOrder = this.auditor.runsOutOfOrder
    report.latencyMs = { p50: this.auditor.latency.percentile(50), p99: this.auditor.latency.percentile(99) }
    report.leaks = [...this.leaks.values()].sort(
      (a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to)
    )
    report.frames.problems = [...this.problems.values()].map(({ problem, count, users }) => ({
      problem,
      count,
      users: [...users]
    }))
    const tallies = this.auditor.tallies()
    report.perUser = started.map(({ userId }) => {
      const tally = tallies.get(userId) ?? { received: 0, own: 0, foreign: 0 }
      const counts = this.counts.get(userId)
      return {
        user_id: userId,
        ...tally,
        unreadable: counts?.unreadable ?? 0,
        canaryLeaks: counts?.canaryLeaks ?? 0
      }
    })
    report.verdict = targetVerdict(report, targetExitCode(report))
  }

  /** Puts an event of this session's own on the stream, after the deliveries judged before it. */
  private emit(draft: InspectionDraft): void {
    this.handOver()
    this.bus.emit(draft)
  }

  /** Hands the deliveries judged so far to the auditor, which puts them on the stream and counts them. */
  private handOver(): void {
    if (this.judged.size > 0) this.auditor.recordJudged(this.judged.takeView())
  }

  private readonly handOverAtTurnEnd = (): void => {
    this.handOverScheduled = false
    this.handOver()
  }

  private get lastRole(): AgentEventType {
    return this.expected.at(-1) ?? 'agent_completed'
  }

  private typeName(role: AgentEventType): string {
    return this.file.events.types[role] ?? role
  }

  private leak(from: string, to: string): LeakPair {
    const key = `${from}\u0000${to}`
    let pair = this.leaks.get(key)
    if (!pair) {
      pair = { from, to, events: 0, canaryFrames: 0 }
      this.leaks.set(key, pair)
    }
    return pair
  }

  private noteProblem(userId: string, problem: string): void {
    const known = this.problems.get(problem)
    if (known) {
      known.count += 1
      known.users.add(userId)
    } else if (this.problems.size < DISTINCT_PROBLEMS) {
      this.problems.set(problem, { problem, count: 1, users: new Set([userId]) })
    }
  }

  /** An answer may arrive before the id it carries is known (a run started by HTTP whose reply is still on its way). */
  private awaitId(id: string, answer: AwaitingAnswer): void {
    const waiting = this.awaitingId.get(id)
    if (waiting) waiting.push(answer)
    else this.awaitingId.set(id, [answer])
    this.awaiting += 1
  }

  private noSuchUser(id: string): string {
    // Asked per unreadable frame: only the two ids shown are quoted, not every user's.
    const ids = this.users.slice(0, 2).map((user) => `'${user.userId}'`)
    const shown = this.users.length > 2 ? `${ids.join(', ')}, …` : ids.join(', ')
    return `'${id}' at ${this.file.events.userId} is no user of this run (users.id gives ${shown}); make users.id render the ids your backend sends`
  }

  private unreadable(receiver: Receiver, role: AgentEventType, problem: string, text: string): void {
    this.report.frames.ownerUnreadable += 1
    this.noteProblem(receiver.user_id, `owner unreadable: ${problem}`)
    const counts = this.counts.get(receiver.user_id)
    if (counts) {
      counts.unreadable += 1
      if (role === this.lastRole) counts.unreadableLast += 1
    }
    this.handOver()
    this.auditor.recordUnreadableOwner(receiver, role, problem, excerpt(text))
  }

  private delivered(receiver: Receiver, event: OwnedEvent, receivedAt: number): void {
    this.report.frames.events += 1
    // A frame to one of the owner's other tabs is that tab's copy of the run; to anyone else, a leak of the run.
    const tab = event.userId === receiver.user_id ? tabOf(receiver.connection_id) : 0
    const key = this.runs.runKey(
      event.userId,
      event.runId,
      event.threadId,
      receivedAt,
      event.run ?? null,
      tab
    )
    this.judged.add(
      receiver,
      {
        event_id: event.eventId ?? `${receiver.user_id}#${++this.anonymous}`,
        type: event.role,
        user_id: event.userId,
        run_id: key,
        emitted_at: event.emittedAt ?? this.runs.startedAt(key)
      },
      receivedAt
    )
    if (this.judged.size >= JUDGED_BATCH) this.handOver()
    else if (!this.handOverScheduled) {
      this.handOverScheduled = true
      setImmediate(this.handOverAtTurnEnd)
    }
    if (event.userId === receiver.user_id) this.runs.ownDelivery(key, event.role)
  }

  private judge(frame: JudgedFrame, receiver: Receiver, text: string, receivedAt: number): void {
    const frames = this.report.frames
    switch (frame.kind) {
      case 'unparsed':
        frames.unparsed += 1
        this.noteProblem(receiver.user_id, frame.problem)
        this.emit({
          kind: 'target_frame_unparsed',
          receiver_user_id: receiver.user_id,
          problem: frame.problem,
          excerpt: excerpt(text)
        })
        return
      case 'ignored':
        frames.ignored += 1
        return
      case 'server_error':
        frames.serverErrors += 1
        this.emit({
          kind: 'warning',
          code: 'target_server_error',
          message: `${receiver.user_id}: ${excerpt(text)}`
        })
        return
      case 'other':
        frames.otherTypes[frame.type] = (frames.otherTypes[frame.type] ?? 0) + 1
        if (this.warnedTypes.has(frame.type)) return
        this.warnedTypes.add(frame.type)
        this.emit({
          kind: 'warning',
          code: 'target_unexpected_type',
          message: `frames of type '${frame.type}' are neither an expected event nor ignored; name the type in events.types or events.ignore`
        })
        return
      case 'unreadable':
        this.unreadable(receiver, frame.role, frame.problem, text)
        return
      case 'event':
        // An owner that is no user of the run is a file that reads the wrong id (users.id, events.userId), as an
        // answer to a request id no user sent is: it cannot be judged, and is never a leak between two users.
        if (this.counts.has(frame.userId)) this.delivered(receiver, frame, receivedAt)
        else this.unreadable(receiver, frame.role, this.noSuchUser(frame.userId), text)
        return
      case 'answer':
        if (frame.owned.ok) this.delivered(receiver, { ...frame, ...frame.owned }, receivedAt)
        else if (frame.owned.unknownId !== undefined && this.awaiting < AWAITING_ID_LIMIT)
          this.awaitId(frame.owned.unknownId, { receiver, frame, text, receivedAt })
        else this.unreadable(receiver, frame.role, frame.owned.problem, text)
        return
    }
  }
}
