import { ModelsUserExecutionContext } from '../context/modelsUserExecutionContext'
import { UserExecutionContext } from '../context/userExecutionContext'
import { BackendError } from '../errors'
import type { UnifiedIdGenerator } from '../ids/unifiedIdGenerator'
import type { InspectionBus } from '../inspection/inspectionBus'
import { createWebSocketManager } from '../websocket/createWebSocketManager'
import type { LegacyWebSocketManagerWrapper } from '../websocket/legacyWrapper'
import { keywords, positional } from '../websocket/pythonCall'
import type { WebSocketManagerFactory } from '../websocket/webSocketManagerFactory'
import type { CodeEffect } from './codeEffects'
import type { DeferredFactories } from './deferredFactories'

export interface EffectDependencies {
  factory: WebSocketManagerFactory
  wrapper: LegacyWebSocketManagerWrapper
  ids: UnifiedIdGenerator
  bus: InspectionBus
  /** Where `defer` lines with a factory name register it; without one they only leave their step. */
  deferred?: DeferredFactories
  /** Whether get_websocket_manager_factory() finds a factory (default true; false reaches seed 002's RuntimeError). */
  factoryRegistered?: boolean
}

/** Seed 002's proposed start-up validation raises this when no factory is registered. */
export const FACTORY_NOT_AVAILABLE = 'WebSocket manager factory not available'

/** Runs one line of the modelled backend against the real factory and wrapper. Throws what they throw. */
export function runCodeEffect(effect: CodeEffect, module: string, deps: EffectDependencies): void {
  const caller = effect.site || module
  const call = effect.call
  switch (call.op) {
    case 'defer':
      if (call.factory && deps.deferred) deps.deferred.register(caller, effect.code, call.factory)
      else
        deps.bus.emit({
          kind: 'backend_call',
          site: caller,
          code: effect.code,
          op: 'defer',
          outcome: 'nothing created: creation waits for a request with a context'
        })
      return
    case 'get_websocket_manager_factory':
      if (deps.factoryRegistered === false) {
        deps.bus.emit({
          kind: 'backend_call',
          site: caller,
          code: effect.code,
          op: 'get_websocket_manager_factory',
          outcome: 'no factory registered: raises RuntimeError'
        })
        throw new BackendError('RuntimeError', FACTORY_NOT_AVAILABLE, caller)
      }
      deps.bus.emit({
        kind: 'backend_call',
        site: caller,
        code: effect.code,
        op: 'get_websocket_manager_factory',
        outcome: 'factory available; no manager created'
      })
      return
    case 'get_websocket_manager':
      deps.wrapper.getWebSocketManager(undefined, caller)
      return
    case 'create_websocket_manager': {
      const context = contextFor(call.context, deps.ids)
      const pythonCall = call.style === 'keyword' ? keywords({ context }) : positional(context)
      const manager = createWebSocketManager(deps.factory, deps.bus, pythonCall, caller)
      // A fixture's manager lives for its test only: cleaned up at once so created equals closed.
      deps.factory.close(manager)
      return
    }
  }
}

/** A fixture's context, as seed 001's fixed test builds it (or, for models_path, as its second failure did). */
export function contextFor(source: 'none' | 'request' | 'models_path', ids: UnifiedIdGenerator): unknown {
  if (source === 'none') return null
  const threadId = ids.threadId()
  const fields = {
    user_id: 'test-user-123',
    thread_id: threadId,
    run_id: ids.runId(threadId),
    request_id: ids.requestId()
  }
  return source === 'request'
    ? UserExecutionContext.fromRequest(fields)
    : new ModelsUserExecutionContext(fields)
}
