import { SEED_SITE, SEED_TEXT, valueError } from '../errors'
import type { UnifiedIdGenerator } from '../ids/unifiedIdGenerator'
import type { InspectionBus } from '../inspection/inspectionBus'
import { UserExecutionContext } from '../context/userExecutionContext'
import { IsolatedWebSocketManager } from './isolatedWebSocketManager'

/**
 * Creates one IsolatedWebSocketManager per user context and counts them, so a leak of instances shows as
 * created > closed. Anything that is not a real UserExecutionContext is rejected with the seeds' error.
 */
export class WebSocketManagerFactory {
  private readonly byUser = new Map<string, IsolatedWebSocketManager>()
  private sharedManager: IsolatedWebSocketManager | null = null
  private createdCount = 0
  private closedCount = 0

  constructor(
    private readonly ids: UnifiedIdGenerator,
    private readonly bus: InspectionBus
  ) {}

  /**
   * The user's open manager, or a new one bound to `userContext`. Connections and runs of one user share it.
   * @param caller who asked, for the trace (e.g. "websocket_endpoint").
   */
  createManager(userContext: unknown, caller: string): IsolatedWebSocketManager {
    if (!(userContext instanceof UserExecutionContext)) {
      const error = valueError(SEED_TEXT.factoryRequiresContext, SEED_SITE.factoryValidation)
      this.bus.emit({
        kind: 'manager_rejected',
        caller,
        call: `factory.create_manager(${describeArgument(userContext)})`,
        error: error.toInfo()
      })
      throw error
    }
    const existing = this.byUser.get(userContext.user_id)
    if (existing && !existing.isClosed) return existing
    const manager = new IsolatedWebSocketManager(this.ids.managerId(), 'isolated', userContext)
    this.byUser.set(userContext.user_id, manager)
    this.createdCount += 1
    this.bus.emit({
      kind: 'manager_created',
      manager_id: manager.id,
      mode: 'isolated',
      context: userContext.toIds(),
      caller
    })
    return manager
  }

  /** The pre-migration singleton: one manager, no context, every user's connections. Only the legacy wrapper asks. */
  sharedSingleton(caller: string): IsolatedWebSocketManager {
    if (this.sharedManager && !this.sharedManager.isClosed) return this.sharedManager
    this.sharedManager = new IsolatedWebSocketManager(this.ids.managerId(), 'shared', null)
    this.createdCount += 1
    this.bus.emit({
      kind: 'manager_created',
      manager_id: this.sharedManager.id,
      mode: 'shared',
      context: null,
      caller
    })
    return this.sharedManager
  }

  close(manager: IsolatedWebSocketManager): void {
    if (manager.isClosed) return
    manager.close()
    this.closedCount += 1
    if (manager.userId !== null && this.byUser.get(manager.userId) === manager)
      this.byUser.delete(manager.userId)
    this.bus.emit({ kind: 'manager_closed', manager_id: manager.id, user_id: manager.userId })
  }

  closeAll(): void {
    for (const manager of [...this.byUser.values()]) this.close(manager)
    if (this.sharedManager) this.close(this.sharedManager)
  }

  get stats(): { created: number; closed: number; active: number } {
    return {
      created: this.createdCount,
      closed: this.closedCount,
      active: this.createdCount - this.closedCount
    }
  }
}

function describeArgument(value: unknown): string {
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'object') return `<${value.constructor?.name ?? 'object'}>`
  return JSON.stringify(value)
}
