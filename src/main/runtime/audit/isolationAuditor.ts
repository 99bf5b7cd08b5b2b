import { AGENT_EVENT_TYPES, stepOf, type AgentEvent, type AgentEventType } from '../../../shared/agentEvents'
import type { InspectionBus } from '../inspection/inspectionBus'
import type { JudgedDeliveries, Violation } from '../users/workerProtocol'
import { DeliveryJudge } from './deliveryJudge'
import { LatencyStats } from './latencyStats'

/** Who received an event: the receiving connection's own identity, as the server told it at welcome. */
export interface Receiver {
  user_id: string
  connection_id: string
}

export type DeliveredEvent = Pick<AgentEvent, 'event_id' | 'type' | 'user_id' | 'run_id' | 'emitted_at'>

/**
 * What the auditor keeps of a run until it is judged: its owner, and the steps the owner received in arrival
 * order as digits ("01234"), a string rather than an array of types. Once completed, the sweep tick at which its
 * grace ends (see `waiting`).
 */
interface RunTrack {
  user_id: string
  steps: string
  completed: boolean
  dueTick: number
}

const typesOf = (steps: string): AgentEventType[] =>
  [...steps].map((digit) => AGENT_EVENT_TYPES[Number(digit)] as AgentEventType)

/** How often completed runs past their grace are judged, at most. */
const SWEEP_MS = 100
const NOT_DUE = -1

export interface UserTally {
  received: number
  own: number
  foreign: number
}

export interface AuditorOptions {
  /** How long after a run completes its owner may still be receiving its events before they count as missing. */
  missingGraceMs?: number
  /** What each run must deliver to its owner, in order. Default: the five agent events (a target may expect fewer). */
  expected?: readonly AgentEventType[]
}

/**
 * Judges every delivery against the receiving connection's context: an event owned by another user is a
 * violation naming both. Runs that complete without their owner getting every expected event (the five agent
 * events unless told otherwise), in order, are reported as missing or out of order.
 */
export class IsolationAuditor {
  private readonly runs = new Map<string, RunTrack>()
  /**
   * Completed runs still short of their expected events, by the sweep tick at which their grace ends; ticks are
   * added in increasing order, so one sweep timer reads them from the front. A run whose owner has every expected
   * event in order is judged there and then, and leaves, so the heap holds only runs still short.
   */
  private readonly waiting = new Map<number, Set<string>>()
  private readonly tickMs: number
  /** The expected steps as digits: a run that received exactly these needs no further look. */
  private readonly expectedSteps: string
  private sweepTimer: NodeJS.Timeout | null = null
  private readonly perUser = new Map<string, UserTally>()
  private readonly judge = new DeliveryJudge('inspect')
  readonly latency = new LatencyStats()
  delivered = 0
  violations = 0
  runsWithMissingEvents = 0
  runsOutOfOrder = 0
  /** Deliveries whose owner could not be read (target mode), so they could not be judged. */
  unreadable = 0
  private readonly missingGraceMs: number
  private readonly expected: readonly AgentEventType[]
  private readonly unsubscribe: () => void

  constructor(
    private readonly bus: InspectionBus,
    options: AuditorOptions = {}
  ) {
    this.missingGraceMs = options.missingGraceMs ?? 1_000
    this.tickMs = Math.max(1, Math.min(this.missingGraceMs, SWEEP_MS))
    this.expected = options.expected ?? AGENT_EVENT_TYPES
    this.expectedSteps = this.expected.map((type) => String(stepOf(type))).join('')
    this.unsubscribe = bus.subscribeKinds(['run_started', 'run_completed'], (event) => {
      if (event.kind === 'run_started') {
        this.runs.set(event.context.run_id, {
          user_id: event.context.user_id,
          steps: '',
          completed: false,
          dueTick: NOT_DUE
        })
      } else {
        this.onRunCompleted(event.run_id)
      }
    })
  }

  /**
   * One delivery, judged here (users in this thread, target mode): by the same DeliveryJudge a worker uses, so
   * there is one judgement and one way its lines are written, whichever thread the users live in.
   */
  recordDelivery(receiver: Receiver, event: DeliveredEvent, receivedAt: number): void {
    this.judge.add(receiver, event, receivedAt)
    this.recordJudged(this.judge.takeView())
  }

  /**
   * Deliveries judged where the users live (a worker's DeliveryJudge, in `inspect` mode): the same outcome as
   * recordDelivery for each, but their inspection lines arrive serialized and counts arrive added up, so this
   * thread does no per-delivery work beyond stamping lines.
   */
  recordJudged(batch: JudgedDeliveries): void {
    const count = batch.latencies.length
    if (batch.deliveredEnds.length !== count)
      throw new Error(
        `a judged batch has ${count} deliveries but ${batch.deliveredEnds.length} inspection lines: was its worker started in count mode?`
      )
    for (const latency of batch.latencies) this.latency.add(latency)
    // Each violation's line follows its delivery's: deliveries go out in runs between violations.
    let from = 0
    batch.violationAt.forEach((at, index) => {
      this.bus.emitEncoded('agent_event_delivered', batch.delivered, batch.deliveredEnds, from, at + 1)
      this.bus.emit({ kind: 'isolation_violation', ...(batch.violations[index] as Violation) })
      from = at + 1
    })
    this.bus.emitEncoded('agent_event_delivered', batch.delivered, batch.deliveredEnds, from, count)
    this.delivered += count
    this.violations += batch.violationAt.length
    batch.runIds.forEach((runId, index) => this.addSteps(runId, batch.runSteps[index] as string))
    const counts = batch.tallyCounts
    batch.tallyUsers.forEach((userId, index) => {
      const tally = this.tallyOf(userId)
      const own = counts[2 * index] as number
      const foreign = counts[2 * index + 1] as number
      tally.received += own + foreign
      tally.own += own
      tally.foreign += foreign
    })
  }

  /** A delivery whose owner cannot be read cannot be judged: it is counted and shown rather than dropped. */
  recordUnreadableOwner(receiver: Receiver, type: AgentEventType, problem: string, excerpt: string): void {
    this.unreadable += 1
    this.tallyOf(receiver.user_id).received += 1
    this.bus.emit({
      kind: 'target_owner_unreadable',
      receiver_user_id: receiver.user_id,
      type,
      problem,
      excerpt
    })
  }

  /** Checks every run that has completed now, without waiting for the grace period (end of a load or a test). */
  finalize(): void {
    this.stopSweeping()
    this.waiting.clear()
    for (const [runId, run] of this.runs) if (run.completed) this.check(runId)
  }

  close(): void {
    this.finalize()
    this.unsubscribe()
  }

  /** Runs started and not judged yet: running, or completed and still waiting for events within their grace. */
  get pendingRuns(): number {
    return this.runs.size
  }

  tallies(): ReadonlyMap<string, UserTally> {
    return this.perUser
  }

  /** Steps its owner received for a run; a completed run that now has exactly the expected ones is done. */
  private addSteps(runId: string, steps: string): void {
    const run = this.runs.get(runId)
    if (!run) return
    run.steps += steps
    if (run.completed && run.steps === this.expectedSteps) {
      this.runs.delete(runId)
      this.waiting.get(run.dueTick)?.delete(runId)
    }
  }

  private onRunCompleted(runId: string): void {
    const run = this.runs.get(runId)
    if (!run) return
    if (run.steps === this.expectedSteps) {
      this.runs.delete(runId)
      return
    }
    run.completed = true
    // One sweep for all runs instead of a timer per run: at thousands of runs a second, per-run timers filled
    // the old generation and made the collector's pauses the tail of delivery latency.
    run.dueTick = Math.ceil((performance.now() + this.missingGraceMs) / this.tickMs)
    let due = this.waiting.get(run.dueTick)
    if (!due) this.waiting.set(run.dueTick, (due = new Set()))
    due.add(runId)
    if (!this.sweepTimer) {
      this.sweepTimer = setInterval(this.sweep, this.tickMs)
      this.sweepTimer.unref()
    }
  }

  private readonly sweep = (): void => {
    const now = performance.now() / this.tickMs
    for (const [tick, due] of this.waiting) {
      if (tick > now) break
      for (const runId of due) this.check(runId)
      this.waiting.delete(tick)
    }
    if (this.waiting.size === 0) this.stopSweeping()
  }

  private stopSweeping(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer)
    this.sweepTimer = null
  }

  private check(runId: string): void {
    const run = this.runs.get(runId)
    if (!run) return
    this.runs.delete(runId)
    if (run.steps === this.expectedSteps) return
    const received = typesOf(run.steps)
    const missing = this.expected.filter((type) => !received.includes(type))
    if (missing.length > 0) {
      this.runsWithMissingEvents += 1
      this.bus.emit({
        kind: 'events_missing',
        run_id: runId,
        user_id: run.user_id,
        received,
        missing
      })
    } else if (received.some((type, index) => type !== this.expected[index])) {
      this.runsOutOfOrder += 1
      this.bus.emit({
        kind: 'events_out_of_order',
        run_id: runId,
        user_id: run.user_id,
        received
      })
    }
  }

  private tallyOf(userId: string): UserTally {
    let tally = this.perUser.get(userId)
    if (!tally) {
      tally = { received: 0, own: 0, foreign: 0 }
      this.perUser.set(userId, tally)
    }
    return tally
  }
}
