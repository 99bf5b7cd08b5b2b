import { BackendError, SEED_SITE, SEED_TEXT, valueError } from '../errors'
import type { InspectionBus } from '../inspection/inspectionBus'
import { createWebSocketManager } from './createWebSocketManager'
import type { IsolatedWebSocketManager } from './isolatedWebSocketManager'
import { positional } from './pythonCall'
import type { WebSocketManagerFactory } from './webSocketManagerFactory'

/**
 * How `get_websocket_manager()` behaves when called without a context:
 * - strict: the post-migration wrapper refuses ("Import-time initialization is prohibited", seeds 001/002);
 * - passthrough: the migration-era wrapper forwards None to the factory, which rejects it (seed 000);
 * - singleton: the pre-migration behaviour, one shared manager for everyone (fault shared_singleton_manager).
 */
export type LegacyWrapperMode = 'strict' | 'passthrough' | 'singleton'

/** The SECURITY MIGRATION compatibility wrapper, `websocket_core/__init__.py`'s get_websocket_manager. */
export class LegacyWebSocketManagerWrapper {
  constructor(
    private readonly factory: WebSocketManagerFactory,
    private readonly bus: InspectionBus,
    readonly mode: LegacyWrapperMode
  ) {}

  getWebSocketManager(userContext: unknown, caller: string): IsolatedWebSocketManager {
    if (this.mode === 'singleton') return this.factory.sharedSingleton(caller)
    if (userContext == null && this.mode === 'strict') {
      const error = valueError(SEED_TEXT.importTimeProhibited, SEED_SITE.legacyWrapper)
      this.bus.emit({
        kind: 'manager_rejected',
        caller,
        call: 'get_websocket_manager()',
        error: error.toInfo()
      })
      throw error
    }
    if (userContext != null)
      return createWebSocketManager(this.factory, this.bus, positional(userContext), caller)
    // Seed 000's wrapper: __init__.py:50 hands None on to create_websocket_manager, one frame below the caller.
    try {
      return createWebSocketManager(this.factory, this.bus, positional(null), caller)
    } catch (error) {
      throw error instanceof BackendError
        ? error.calledFrom([SEED_SITE.passthroughForward, 'create_websocket_manager(None)'])
        : error
    }
  }
}
