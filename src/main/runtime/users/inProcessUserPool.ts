import { SimulatedUser, type DeliverySink } from './simulatedUser'
import type { ConnectOutcome, UserPool, UserToConnect } from './userPool'

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
    const selected = userId
      ? [this.users.get(userId)].filter((user) => user !== undefined)
      : [...this.users.values()]
    for (let run = 0; run < runs; run++) for (const user of selected) user.startRun()
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
