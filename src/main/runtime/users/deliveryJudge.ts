import { stepOf } from '../../../shared/agentEvents'
import { jsonString } from '../../../shared/json'
import type { DeliveredEvent, Receiver } from '../audit/isolationAuditor'
import { deliveredMembers, violationMembers } from '../audit/deliveryMembers'
import type { JudgedDeliveries, JudgeMode } from './workerProtocol'

const MAX_QUOTED_USERS = 20_000
/** Room for a batch's members to start with: about 500 deliveries, the worker's batch size. */
const INITIAL_BYTES = 128 * 1024
/** Bytes a UTF-16 code unit can take in UTF-8, at most. */
const MAX_UTF8_BYTES_PER_UNIT = 3

/**
 * Judges deliveries where the users live and gathers them into one batch for the runtime's thread: whether each
 * reached its owner, its latency, its inspection lines' members, and per run and per user what arrived. The
 * runtime's thread then only stamps lines and adds up counts (IsolationAuditor.recordJudged).
 */
export class DeliveryJudge {
  private batch: JudgedDeliveries = emptyBatch()
  /** The batch's members, UTF-8, in a buffer of its own so that it can be transferred rather than copied. */
  private bytes: Buffer = Buffer.alloc(0)
  private used = 0
  /** Per run in this batch: its id as JSON text (its five events share it) and the steps its owner received. */
  private readonly runs = new Map<string, { quoted: string; steps: string }>()
  private readonly tallies = new Map<string, Tally>()
  /** The last receiver's tally: a run's events reach a user back to back. */
  private lastTally: { userId: string; tally: Tally } | null = null
  /** User ids as JSON text: a worker's users are few and each is in every one of its deliveries. */
  private readonly quotedUsers = new Map<string, string>()

  constructor(private readonly mode: JudgeMode) {}

  get size(): number {
    return this.batch.latencies.length
  }

  add(receiver: Receiver, event: DeliveredEvent, receivedAt: number): void {
    const batch = this.batch
    const latency = Math.max(0, receivedAt - event.emitted_at)
    const foreign = event.user_id !== receiver.user_id
    if (foreign) batch.violationAt.push(batch.latencies.length)
    batch.latencies.push(latency)
    if (this.mode === 'count') return
    let run = this.runs.get(event.run_id)
    if (!run) {
      run = { quoted: jsonString(event.run_id), steps: '' }
      this.runs.set(event.run_id, run)
    }
    const quotedReceiver = this.quoted(receiver.user_id)
    const violation = violationMembers(
      jsonString(event.event_id),
      event.type,
      run.quoted,
      foreign ? this.quoted(event.user_id) : quotedReceiver,
      quotedReceiver
    )
    this.write(deliveredMembers(violation, latency))
    batch.deliveredEnds.push(this.used)
    if (foreign) batch.violations.push(violation)
    else run.steps += String(stepOf(event.type))
    const tally = this.tallyOf(receiver.user_id)
    tally[0] += 1
    tally[foreign ? 2 : 1] += 1
  }

  private tallyOf(userId: string): Tally {
    if (this.lastTally?.userId === userId) return this.lastTally.tally
    let tally = this.tallies.get(userId)
    if (!tally) {
      tally = [0, 0, 0]
      this.tallies.set(userId, tally)
    }
    this.lastTally = { userId, tally }
    return tally
  }

  private write(text: string): void {
    const room = text.length * MAX_UTF8_BYTES_PER_UNIT
    if (this.used + room > this.bytes.length) {
      // allocUnsafeSlow: never a slice of Node's shared pool, which could not be transferred.
      const grown = Buffer.allocUnsafeSlow(Math.max(INITIAL_BYTES, 2 * this.bytes.length, this.used + room))
      this.bytes.copy(grown, 0, 0, this.used)
      this.bytes = grown
    }
    this.used += this.bytes.write(text, this.used, 'utf8')
  }

  private quoted(userId: string): string {
    let text = this.quotedUsers.get(userId)
    if (text === undefined) {
      // Owners come from frames: bound the cache, so a stream of unknown owners cannot grow it without end.
      if (this.quotedUsers.size >= MAX_QUOTED_USERS) this.quotedUsers.clear()
      text = jsonString(userId)
      this.quotedUsers.set(userId, text)
    }
    return text
  }

  /**
   * The batch so far; the judge starts a new one. Its `delivered` has a buffer of its own: post it with
   * `transferablesOf`, and the judge never touches it again.
   */
  take(): JudgedDeliveries {
    const batch = this.batch
    // Allocated by allocUnsafeSlow (or empty): a plain ArrayBuffer, never a shared one.
    batch.delivered = new Uint8Array(this.bytes.buffer as ArrayBuffer, this.bytes.byteOffset, this.used)
    for (const [runId, { steps }] of this.runs) if (steps !== '') batch.runs.push([runId, steps])
    batch.tallies = [...this.tallies].map(([userId, [received, own, foreign]]) => [
      userId,
      received,
      own,
      foreign
    ])
    this.runs.clear()
    this.tallies.clear()
    this.lastTally = null
    this.bytes = Buffer.alloc(0)
    this.used = 0
    this.batch = emptyBatch()
    return batch
  }
}

type Tally = [received: number, own: number, foreign: number]

/** What to transfer, rather than copy, when posting a batch to another thread. */
export function transferablesOf(batch: JudgedDeliveries): ArrayBuffer[] {
  const buffer = batch.delivered.buffer
  return buffer instanceof ArrayBuffer && buffer.byteLength > 0 ? [buffer] : []
}

function emptyBatch(): JudgedDeliveries {
  return {
    latencies: [],
    delivered: new Uint8Array(0),
    deliveredEnds: [],
    violationAt: [],
    violations: [],
    runs: [],
    tallies: []
  }
}
