import { SimulatedUser, type DeliverySink } from './simulatedUser'
import type { ConnectOutcome, StartRunsOutcome, UserPool, UserToConnect } from './userPool'

/**
 * start_run frames sent in one turn of the event loop. A load of a million runs written at once held the loop for
 * seconds and queued every frame ahead of the users' close frames, so nothing (an MCP cancel, the next call) was
 * heard until the runtime had taken them all; a batch this size costs well under a millisecond.
 */
export const START_RUNS_BATCH = 1_000

/** Simulated users on this thread's event loop: simplest, and deterministic enough for scenarios and tests. */
export class InProcessUserPool implements UserPool {
  private readonly users = new Map<string, SimulatedUser>()
  /** Batches of start_run frames still to send; close() cancels them. */
  private readonly pendingStarts = new Set<NodeJS.Immediate>()
  readonly refusals: Array<{ user_id: string; message: string }> = []

  constructor(private readonly sink: DeliverySink) {}

  get refusedRuns(): number {
    return this.refusals.length
  }

  async connect(users: UserToConnect[]): Promise<ConnectOutcome> {
    const outcome: ConnectOutcome = { connected: [], failed: [] }
    const results = await Promise.allSettled(
      users.map(({ userId, url }) =>
        SimulatedUser.connect(url, userId, this.sink, {
          onServerError: (user_id, code, message) => {
            if (code === 'run_failed') this.refusals.push({ user_id, message })
          }
        })
      )
    )
    results.forEach((result, index) => {
      const userId = users[index]?.userId ?? ''
      if (result.status === 'fulfilled') {
        this.users.set(userId, result.value)
        outcome.connected.push({
          user_id: userId,
          connection_id: result.value.connectionId,
          context: result.value.context
        })
      } else {
        outcome.failed.push({
          user_id: userId,
          error: result.reason instanceof Error ? result.reason.message : String(result.reason)
        })
      }
    })
    return outcome
  }

  user(userId: string): SimulatedUser | undefined {
    return this.users.get(userId)
  }

  /**
   * Run by run across the users, START_RUNS_BATCH frames a turn: the first batch at once (a scenario's single run
   * is sent before this returns), the rest on later turns, so the loop stays free to hear and to stop.
   */
  startRuns(runs: number, userId?: string): void {
    const selected = this.selected(userId)
    const total = runs * selected.length
    let next = 0
    const sendBatch = (): void => {
      const end = Math.min(total, next + START_RUNS_BATCH)
      for (; next < end; next++) selected[next % selected.length]?.startRun()
      if (next >= total) return
      const pending = setImmediate(() => {
        this.pendingStarts.delete(pending)
        sendBatch()
      })
      this.pendingStarts.add(pending)
    }
    sendBatch()
  }

  /**
   * Starts the runs like startRuns, and resolves once the runtime has answered each one: every accepted run has
   * emitted its run_started by then. A user that is not reading cannot hear its answers, so it is only named.
   */
  async startRunsAnswered(runs: number, userId?: string): Promise<StartRunsOutcome> {
    const outcome: StartRunsOutcome = { started: 0, refused: [], not_reading: [] }
    const selected = this.selected(userId)
    for (const user of selected) if (!user.isReading) outcome.not_reading.push(user.userId)
    const waits: Array<Promise<void>> = []
    // Run by run across the users, in the order startRuns asks for them.
    for (let run = 0; run < runs; run++) {
      for (const user of selected) {
        if (!user.isReading) {
          user.startRun()
          continue
        }
        const answered = user.startRunAnswered().then((answer) => {
          if (answer.accepted) outcome.started += 1
          else outcome.refused.push({ user_id: user.userId, message: answer.message })
        })
        waits.push(answered)
      }
    }
    await Promise.all(waits)
    return outcome
  }

  private selected(userId: string | undefined): SimulatedUser[] {
    return userId ? [this.users.get(userId)].filter((user) => user !== undefined) : [...this.users.values()]
  }

  async disconnect(userId: string): Promise<void> {
    const user = this.users.get(userId)
    this.users.delete(userId)
    await user?.close()
  }

  async close(): Promise<void> {
    for (const pending of this.pendingStarts) clearImmediate(pending)
    this.pendingStarts.clear()
    await Promise.all([...this.users.values()].map((user) => user.close()))
    this.users.clear()
  }
}
