import type { ContextIds } from '../../../shared/context'

export interface UserToConnect {
  userId: string
  url: string
}

export interface ConnectedUser {
  user_id: string
  connection_id: string
  context: ContextIds
}

export interface ConnectOutcome {
  connected: ConnectedUser[]
  failed: Array<{ user_id: string; error: string }>
}

/** How the runtime answered a batch of start_run frames (see InProcessUserPool.startRunsAnswered). */
export interface StartRunsOutcome {
  /** Runs the runtime accepted: each one's run_started was emitted before its answer. */
  started: number
  /** Runs the runtime refused (or the user's connection closed before the answer), one entry per run. */
  refused: Array<{ user_id: string; message: string }>
  /** Users not reading (made slow): their runs were asked for, but the answers wait unread, so none is counted. */
  not_reading: string[]
}

/** Where simulated users live: in this thread, or in a worker thread so the clients get a core of their own. */
export interface UserPool {
  connect(users: UserToConnect[]): Promise<ConnectOutcome>
  /** Each selected user (all when userId is omitted) sends `runs` start_run frames. */
  startRuns(runs: number, userId?: string): void
  disconnect(userId: string): Promise<void>
  /** Runs started but refused by the runtime (error frames with code run_failed), so far. */
  readonly refusedRuns: number
  readonly refusals: ReadonlyArray<{ user_id: string; message: string }>
  close(): Promise<void>
}
