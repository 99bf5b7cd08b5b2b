import { LatencyStats } from '../../src/main/runtime/audit/latencyStats'
import { WorkerUserPool } from '../../src/main/runtime/users/workerUserPool'
import type { Target } from './targets'

const EVENTS_PER_RUN = 5
const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** N simulated users in a worker thread, connected to one target, with counters both targets share. */
export class LoadSession {
  delivered = 0
  /** Deliveries the users were asked for so far (runs started × 5). */
  expected = 0
  latency = new LatencyStats()
  connectMs = 0
  connected: string[] = []
  failed = 0

  private constructor(
    readonly target: Target,
    private readonly pool: WorkerUserPool
  ) {}

  static async open(target: Target, users: number): Promise<LoadSession> {
    let session: LoadSession | null = null
    const pool = new WorkerUserPool(
      (batch) => {
        target.sink(batch)
        if (!session) return
        session.delivered += batch.latencies.length
        for (const latency of batch.latencies) session.latency.add(latency)
      },
      undefined,
      target.judge
    )
    session = new LoadSession(target, pool)
    const wanted = Array.from({ length: users }, () => {
      const userId = target.newUserId()
      return { userId, url: target.userUrl(userId) }
    })
    // An empty connect first: the worker's start-up (loading its modules) is not part of connecting.
    await pool.connect([])
    const started = performance.now()
    const outcome = await pool.connect(wanted)
    session.connectMs = performance.now() - started
    session.connected = outcome.connected.map((user) => user.user_id)
    session.failed = outcome.failed.length
    return session
  }

  /** Starts a fresh latency sample (after warm-up). */
  resetLatency(): void {
    this.latency = new LatencyStats()
  }

  /**
   * As fast as the target takes it: every user keeps runs coming, in waves of one run each, while no more than
   * `maxInFlight` events are undelivered. Resolves when `runsPerUser` runs each have been delivered.
   */
  async saturate(runsPerUser: number, maxInFlight: number, timeoutMs = 120_000): Promise<number> {
    const started = performance.now()
    const wave = this.connected.length * EVENTS_PER_RUN
    let waves = 0
    while (waves < runsPerUser) {
      if (performance.now() - started > timeoutMs) break
      if (this.expected - this.delivered + wave <= maxInFlight) {
        this.pool.startRuns(1)
        this.expected += wave
        waves += 1
      } else await tick(1)
    }
    await this.drain(started + timeoutMs)
    return performance.now() - started
  }

  /** Starts runs round-robin over the users so that `eventsPerSecond` events are emitted, for `durationMs`. */
  async paced(eventsPerSecond: number, durationMs: number): Promise<number> {
    const started = performance.now()
    const runsPerMs = eventsPerSecond / EVENTS_PER_RUN / 1000
    let runs = 0
    let next = 0
    while (performance.now() - started < durationMs) {
      const due = Math.floor((performance.now() - started) * runsPerMs)
      for (; runs < due; runs++) {
        this.pool.startRuns(1, this.connected[next] as string)
        next = (next + 1) % this.connected.length
        this.expected += EVENTS_PER_RUN
      }
      await tick(2)
    }
    await this.drain(performance.now() + 30_000)
    return performance.now() - started
  }

  async drain(deadline: number): Promise<void> {
    while (this.delivered < this.expected && performance.now() < deadline) await tick(1)
  }

  async close(): Promise<void> {
    await this.pool.close()
  }
}
