import type { UserExecutionContext } from '../context/userExecutionContext'
import type { UserConnection } from './userConnection'

export type ManagerMode = 'isolated' | 'shared'

/**
 * Sends agent events to the connections it holds. An isolated manager is bound to one user's context and holds only
 * that user's connections; the shared one (the legacy singleton) holds everyone's, which is exactly the leak.
 */
export class IsolatedWebSocketManager {
  private readonly connections = new Set<UserConnection>()
  private closed = false

  constructor(
    readonly id: string,
    readonly mode: ManagerMode,
    readonly context: UserExecutionContext | null
  ) {}

  get userId(): string | null {
    return this.context?.user_id ?? null
  }

  get isClosed(): boolean {
    return this.closed
  }

  get connectionCount(): number {
    return this.connections.size
  }

  add(connection: UserConnection): void {
    if (this.closed)
      throw new Error(`manager ${this.id} is closed; create a new one for user ${connection.context.user_id}`)
    this.connections.add(connection)
  }

  remove(connection: UserConnection): void {
    this.connections.delete(connection)
  }

  /** Sends one agent_event frame (serialized by the run, see RunSerializer); returns to how many connections. */
  send(frame: string | Uint8Array): number {
    if (this.closed || this.connections.size === 0) return 0
    for (const connection of this.connections) connection.send(frame)
    return this.connections.size
  }

  close(): void {
    this.closed = true
    this.connections.clear()
  }
}
