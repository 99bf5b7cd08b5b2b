import { stepOf } from '../../../shared/agentEvents'
import type { DeliveredEvent, Receiver } from '../audit/isolationAuditor'
import { deliveredMembers, violationMembers } from '../audit/deliveryMembers'
import type { JudgedDeliveries, JudgeMode } from './workerProtocol'

const MAX_QUOTED_USERS = 20_000

/**
 * Judges deliveries where the users live and gathers them into one batch for the runtime's thread: whether each
 * reached its owner, its latency, its inspection lines' members, and per run and per user what arrived. The
 * runtime's thread then only stamps lines and adds up counts (IsolationAuditor.recordJudged).
 */
export class DeliveryJudge {
  private batch: JudgedDeliveries = emptyBatch()
  private readonly runs = new Map<string, string>()
  private readonly tallies = new Map<string, [received: number, own: number, foreign: number]>()
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
    const violation = violationMembers(
      event.event_id,
      event.type,
      event.run_id,
      this.quoted(event.user_id),
      this.quoted(receiver.user_id)
    )
    batch.delivered.push(deliveredMembers(violation, latency))
    if (foreign) batch.violations.push(violation)
    else this.runs.set(event.run_id, (this.runs.get(event.run_id) ?? '') + String(stepOf(event.type)))
    let tally = this.tallies.get(receiver.user_id)
    if (!tally) {
      tally = [0, 0, 0]
      this.tallies.set(receiver.user_id, tally)
    }
    tally[0] += 1
    tally[foreign ? 2 : 1] += 1
  }

  private quoted(userId: string): string {
    let text = this.quotedUsers.get(userId)
    if (text === undefined) {
      // Owners come from frames: bound the cache, so a stream of unknown owners cannot grow it without end.
      if (this.quotedUsers.size >= MAX_QUOTED_USERS) this.quotedUsers.clear()
      text = JSON.stringify(userId)
      this.quotedUsers.set(userId, text)
    }
    return text
  }

  /** The batch so far; the judge starts a new one. */
  take(): JudgedDeliveries {
    const batch = this.batch
    batch.runs = [...this.runs]
    batch.tallies = [...this.tallies].map(([userId, [received, own, foreign]]) => [
      userId,
      received,
      own,
      foreign
    ])
    this.runs.clear()
    this.tallies.clear()
    this.batch = emptyBatch()
    return batch
  }
}

function emptyBatch(): JudgedDeliveries {
  return { latencies: [], delivered: [], violationAt: [], violations: [], runs: [], tallies: [] }
}
