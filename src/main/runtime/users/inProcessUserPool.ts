import { SimulatedUser, type DeliverySink } from './simulatedUser'
import type { ConnectOutcome, StartRunsOutcome, UserPool, UserToConnect } from './userPool'

/** Simulated users on this thread's event loop: simplest, and deterministic enough for scenarios and tests. */
export class InProcessUserPool implements UserPool {
  private readonly users = new Map<string, SimulatedUser>()
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

  startRuns(runs: number, userId?: string): void {
    const selected = this.selected(userId)
    for (let run = 0; run < runs; run++) for (const user of selected) user.startRun()
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
    await Promise.all([...this.users.values()].map((user) => user.close()))
    this.users.clear()
  }
}
