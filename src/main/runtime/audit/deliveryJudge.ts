import { stepOf } from '../../../shared/agentEvents'
import { isPlainJsonString, jsonString } from '../../../shared/json'
import type { DeliveredEvent, Receiver } from './isolationAuditor'
import {
  deliveredMembers,
  EVENT_ID_PIECE,
  ownRunPieceRoom,
  TYPE_PIECES,
  violationMembers,
  writeOwnRunPiece
} from './deliveryMembers'
import { copyInto, MAX_MICROS_BYTES, writeLatin1, writeMicros } from '../inspection/byteWriting'
import type { JudgedDeliveries, JudgeMode, Violation } from '../users/workerProtocol'
import { toMicros } from '../../../shared/numberText'

const MAX_QUOTED_USERS = 20_000
/** Room for a batch's members to start with: about 500 deliveries, the worker's batch size. */
const SCRATCH_BYTES = 128 * 1024
/** Room for a batch's latencies and ends to start with: the worker's batch size. */
const SCRATCH_DELIVERIES = 512
/** Bytes a UTF-16 code unit can take in UTF-8, at most. */
const MAX_UTF8_BYTES_PER_UNIT = 3

/**
 * Judges deliveries where the users live and gathers them into one batch for the runtime's thread: whether each
 * reached its owner, its latency, its inspection lines' members, and per run and per user what arrived. The
 * runtime's thread then only stamps lines and adds up counts (IsolationAuditor.recordJudged).
 */
export class DeliveryJudge {
  /** This batch's isolation_violations; its numbers and bytes are written to the scratch arrays below. */
  private violations: Violation[] = []
  /** The batch's members as UTF-8, written here and copied out at take() (see there), as are the arrays below. */
  private bytes: Buffer = Buffer.allocUnsafeSlow(SCRATCH_BYTES)
  private used = 0
  /** Per delivery: its latency, and (inspect mode) where its members end in `bytes`. */
  private latencies = new Float64Array(SCRATCH_DELIVERIES)
  private ends: Uint32Array<ArrayBuffer>
  private deliveries = 0
  /** The indices of the deliveries that reached the wrong user. */
  private foreignAt = new Uint32Array(SCRATCH_DELIVERIES)
  private foreign = 0
  /** Per run in this batch, in order of first delivery: what its events share, the steps its owner received. */
  private readonly runs = new Map<string, RunEntry>()
  /** Per receiver in this batch, in order of first delivery. */
  private readonly tallies = new Map<string, Tally>()
  /** The last receiver's tally: a run's events reach a user back to back. */
  private lastTally: Tally | null = null
  /** User ids as JSON text: a worker's users are few and each is in every one of its deliveries. */
  private readonly quotedUsers = new Map<string, string>()

  constructor(private readonly mode: JudgeMode) {
    this.ends = new Uint32Array(mode === 'inspect' ? SCRATCH_DELIVERIES : 0)
  }

  get size(): number {
    return this.deliveries
  }

  add(receiver: Receiver, event: DeliveredEvent, receivedAt: number): void {
    const index = this.deliveries++
    const latency = toMicros(Math.max(0, receivedAt - event.emitted_at))
    const foreign = event.user_id !== receiver.user_id
    if (foreign) {
      this.foreignAt = withRoom(this.foreignAt, this.foreign + 1)
      this.foreignAt[this.foreign++] = index
    }
    this.latencies = withRoom(this.latencies, index + 1)
    this.latencies[index] = latency
    if (this.mode === 'count') return
    let run = this.runs.get(event.run_id)
    if (!run) {
      run = {
        quoted: jsonString(event.run_id),
        steps: '',
        pieceAt: -1,
        pieceLength: 0,
        ownUser: ''
      }
      this.runs.set(event.run_id, run)
    }
    if (!foreign && isPlainJsonString(event.event_id)) {
      this.writeOwn(run, receiver.user_id, event, latency)
      run.steps += String(stepOf(event.type))
    } else this.writeAny(run, receiver, event, latency, foreign)
    this.ends = withRoom(this.ends, index + 1)
    this.ends[index] = this.used
    const tally = this.tallyOf(receiver.user_id)
    if (foreign) tally.foreign += 1
    else tally.own += 1
  }

  /**
   * The common case, a delivery to its owner: its members written as bytes, with no string built. The part its
   * run's events share is written for the first of them in the batch and copied from there for the others. Same
   * bytes as writeAny's.
   */
  private writeOwn(run: RunEntry, userId: string, event: DeliveredEvent, latency: number): void {
    // A run whose events name different owners (a broken server) gets its piece written again for each.
    const written = run.pieceAt >= 0 && run.ownUser === userId
    const quotedUser = written ? '' : this.quoted(userId)
    const type = TYPE_PIECES[event.type]
    this.reserve(
      EVENT_ID_PIECE.length +
        event.event_id.length +
        type.length +
        (written ? run.pieceLength : ownRunPieceRoom(run.quoted, quotedUser)) +
        MAX_MICROS_BYTES
    )
    let at = copyInto(EVENT_ID_PIECE, this.bytes, this.used)
    at = writeLatin1(this.bytes, at, event.event_id)
    at = copyInto(type, this.bytes, at)
    if (written) {
      this.bytes.copyWithin(at, run.pieceAt, run.pieceAt + run.pieceLength)
      at += run.pieceLength
    } else {
      run.pieceAt = at
      run.ownUser = userId
      at = writeOwnRunPiece(this.bytes, at, run.quoted, quotedUser)
      run.pieceLength = at - run.pieceAt
    }
    this.used = writeMicros(this.bytes, at, latency)
  }

  /** Any delivery, foreign or with ids that need escaping: built as text, then encoded. */
  private writeAny(
    run: RunEntry,
    receiver: Receiver,
    event: DeliveredEvent,
    latency: number,
    foreign: boolean
  ): void {
    const quotedReceiver = this.quoted(receiver.user_id)
    const violation = violationMembers(
      jsonString(event.event_id),
      event.type,
      run.quoted,
      foreign ? this.quoted(event.user_id) : quotedReceiver,
      quotedReceiver
    )
    const text = deliveredMembers(violation, latency)
    this.reserve(text.length * MAX_UTF8_BYTES_PER_UNIT)
    this.used += this.bytes.write(text, this.used, 'utf8')
    if (foreign)
      this.violations.push({
        event_id: event.event_id,
        type: event.type,
        run_id: event.run_id,
        owner_user_id: event.user_id,
        receiver_user_id: receiver.user_id
      })
    else run.steps += String(stepOf(event.type))
  }

  /** The receiver's entry in this batch's tallies, made at its first delivery. */
  private tallyOf(userId: string): Tally {
    if (this.lastTally?.userId === userId) return this.lastTally
    let tally = this.tallies.get(userId)
    if (!tally) {
      tally = { userId, own: 0, foreign: 0 }
      this.tallies.set(userId, tally)
    }
    this.lastTally = tally
    return tally
  }

  /** Makes room for `bytes` more. */
  private reserve(bytes: number): void {
    if (this.used + bytes <= this.bytes.length) return
    const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.bytes.length, this.used + bytes))
    this.bytes.copy(grown, 0, 0, this.used)
    this.bytes = grown
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
   * The batch so far; the judge starts a new one. Its typed arrays are copies the size of their contents, each in a
   * buffer of its own: post them with `transferablesOf`. Copies, so the scratch arrays are reused rather than a
   * fresh 128 KiB handed over per batch (V8 counts such buffers against the old generation's room).
   */
  take(): JudgedDeliveries {
    return this.finishBatch(true)
  }

  /**
   * The batch so far as views of the judge's scratch arrays, for a consumer on this thread that reads it at once
   * (IsolationAuditor.recordDelivery, a target run's TargetSession): no buffer copied per batch. Valid only until
   * the next add().
   */
  takeView(): JudgedDeliveries {
    return this.finishBatch(false)
  }

  private finishBatch(copy: boolean): JudgedDeliveries {
    const runIds: string[] = []
    const runSteps: string[] = []
    for (const [runId, run] of this.runs) {
      // A run whose owner received none of this batch's deliveries (all went to others) has nothing to report.
      if (run.steps === '') continue
      runIds.push(runId)
      runSteps.push(run.steps)
    }
    const tallyUsers: string[] = []
    const tallyCounts = new Uint32Array(2 * this.tallies.size)
    for (const tally of this.tallies.values()) {
      tallyCounts[2 * tallyUsers.length] = tally.own
      tallyCounts[2 * tallyUsers.length + 1] = tally.foreign
      tallyUsers.push(tally.userId)
    }
    const ends = this.mode === 'inspect' ? this.deliveries : 0
    const bytes = this.bytes as Uint8Array<ArrayBuffer>
    const batch: JudgedDeliveries = {
      latencies: copy
        ? this.latencies.slice(0, this.deliveries)
        : this.latencies.subarray(0, this.deliveries),
      delivered: copy ? Uint8Array.prototype.slice.call(bytes, 0, this.used) : bytes.subarray(0, this.used),
      deliveredEnds: copy ? this.ends.slice(0, ends) : this.ends.subarray(0, ends),
      violationAt: copy ? this.foreignAt.slice(0, this.foreign) : this.foreignAt.subarray(0, this.foreign),
      violations: this.violations,
      runIds,
      runSteps,
      tallyUsers,
      tallyCounts
    }
    this.violations = []
    this.runs.clear()
    this.tallies.clear()
    this.lastTally = null
    this.used = 0
    this.deliveries = 0
    this.foreign = 0
    return batch
  }
}

/** What one receiver got in this batch: deliveries of its own runs' events and of others'. */
interface Tally {
  userId: string
  own: number
  foreign: number
}

interface RunEntry {
  /** The run's id as JSON text. */
  quoted: string
  /** The steps its owner received, in order ("01234"). */
  steps: string
  /**
   * Where this batch's bytes hold its events' shared piece (see writeOwnRunPiece; -1 before the first), how long
   * it is, and for which user it was written.
   */
  pieceAt: number
  pieceLength: number
  ownUser: string
}

/** What to transfer, rather than copy, when posting a batch to another thread: its typed arrays' buffers. */
export function transferablesOf(batch: JudgedDeliveries): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = []
  const { latencies, delivered, deliveredEnds, violationAt, tallyCounts } = batch
  for (const array of [latencies, delivered, deliveredEnds, violationAt, tallyCounts]) {
    const buffer = array.buffer
    if (buffer instanceof ArrayBuffer && buffer.byteLength > 0) buffers.push(buffer)
  }
  return buffers
}

/** `array`, or a copy of it twice as long (at least `length`) when it is shorter than `length`. */
function withRoom<Numbers extends Float64Array | Uint32Array>(array: Numbers, length: number): Numbers {
  if (length <= array.length) return array
  const grown = new (array.constructor as new (length: number) => Numbers)(Math.max(2 * array.length, length))
  grown.set(array)
  return grown
}
