import type { LoadShape } from '../../shared/targetFile'

/** Whether users arrive over time (and start their runs as each connects) rather than all at once. */
export const isSpread = (load: LoadShape): boolean =>
  (load.rampUpMs ?? 0) > 0 || load.arrivalRate !== undefined

/** When the k-th user (0-based) of n arrives, in ms after the first: evenly over the ramp-up, or at the rate. */
export function arrivalOffsetMs(k: number, n: number, load: LoadShape): number {
  if (load.arrivalRate !== undefined) return (k * 1_000) / load.arrivalRate
  if (load.rampUpMs !== undefined && n > 1) return (k * load.rampUpMs) / n
  return 0
}

/**
 * At most `limit` tasks at once, the rest queued in order: thousands of users opening sockets together overflow a
 * server's listen backlog, and a dropped SYN is retried only after a second, past many connect timeouts.
 */
export class ConcurrencyLimit {
  private running = 0
  private readonly queue: Array<() => void> = []

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve))
    else this.running += 1
    try {
      return await task()
    } finally {
      const next = this.queue.shift()
      // The slot passes straight to the next task in line.
      if (next) next()
      else this.running -= 1
    }
  }
}

/**
 * Wakes whoever waits for a user's n-th run to end (think time): checked when a frame arrives for that user, when
 * a run's steps fail, when its connection closes, and when the run timeout stops everything.
 */
export class RunEndWaiters {
  private readonly waiting = new Map<string, { runs: number; wake: () => void }>()
  stopped = false

  constructor(private readonly ended: (userId: string) => number) {}

  /** Resolves once `userId` has `runs` runs ended, or `check(userId, true)`, or `stop()`. */
  until(userId: string, runs: number): Promise<void> {
    if (this.stopped || this.ended(userId) >= runs) return Promise.resolve()
    return new Promise((wake) => this.waiting.set(userId, { runs, wake }))
  }

  check(userId: string, gone = false): void {
    const waiter = this.waiting.get(userId)
    if (!waiter || (!gone && this.ended(userId) < waiter.runs)) return
    this.waiting.delete(userId)
    waiter.wake()
  }

  stop(): void {
    this.stopped = true
    for (const { wake } of this.waiting.values()) wake()
    this.waiting.clear()
  }
}
