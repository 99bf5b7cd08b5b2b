import type { AnyContext } from '../context/contextService'
import type { IsolatedWebSocketManager } from './isolatedWebSocketManager'
import type { LegacyWebSocketManagerWrapper } from './legacyWrapper'
import type { UserConnection } from './userConnection'
import type { WebSocketManagerFactory } from './webSocketManagerFactory'

/**
 * app.state.websocket_connection_pool: which manager each open connection is on. Attaching goes through the
 * legacy wrapper, as the websocket endpoint does, so the singleton fault shows up exactly where it did.
 */
export class WebSocketConnectionPool {
  private readonly managerByConnection = new Map<string, IsolatedWebSocketManager>()

  constructor(
    readonly factory: WebSocketManagerFactory,
    readonly wrapper: LegacyWebSocketManagerWrapper
  ) {}

  /** Throws the factory's error when the context is refused; nothing is attached then. */
  attach(connection: UserConnection, context: AnyContext): IsolatedWebSocketManager {
    const manager = this.wrapper.getWebSocketManager(context, 'websocket_endpoint')
    manager.add(connection)
    this.managerByConnection.set(connection.id, manager)
    return manager
  }

  /** Removes the connection; an isolated manager left with no connection is closed, so none outlives its user. */
  detach(connection: UserConnection): void {
    const manager = this.managerByConnection.get(connection.id)
    if (!manager) return
    this.managerByConnection.delete(connection.id)
    manager.remove(connection)
    if (manager.mode === 'isolated' && manager.connectionCount === 0) this.factory.close(manager)
  }

  managerOf(connectionId: string): IsolatedWebSocketManager | undefined {
    return this.managerByConnection.get(connectionId)
  }

  get size(): number {
    return this.managerByConnection.size
  }
}
