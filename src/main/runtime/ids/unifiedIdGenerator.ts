import { randomHex, seededRandom } from './seededRandom'
import { integerText } from '../../../shared/numberText'

/**
 * The one source of ids (the seeds' UnifiedIdGenerator). `run_id` embeds its `thread_id` so that any event can be
 * traced back to its thread; seeding makes a whole runtime's ids reproducible.
 */
export class UnifiedIdGenerator {
  private readonly random: () => number
  private counter = 0

  constructor(seed: number) {
    this.random = seededRandom(seed)
  }

  private next(prefix: string): string {
    this.counter += 1
    return `${prefix}_${integerText(this.counter)}_${randomHex(this.random, 8)}`
  }

  userId(): string {
    return this.next('user')
  }

  threadId(): string {
    return this.next('thread')
  }

  runId(threadId: string): string {
    this.counter += 1
    return `run_${threadId}_${integerText(this.counter)}_${randomHex(this.random, 8)}`
  }

  requestId(): string {
    return this.next('req')
  }

  connectionId(): string {
    return this.next('conn')
  }

  managerId(): string {
    return this.next('mgr')
  }

  eventId(): string {
    this.counter += 1
    return `evt_${integerText(this.counter)}`
  }

  /** A uuid4-shaped id from the seeded stream: what code that bypasses the generator produces (seed 003). */
  uuid4(): string {
    const hex = randomHex(this.random, 32)
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  }
}
