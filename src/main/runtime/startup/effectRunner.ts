import { ModelsUserExecutionContext } from '../context/modelsUserExecutionContext'
import { UserExecutionContext } from '../context/userExecutionContext'
import type { UnifiedIdGenerator } from '../ids/unifiedIdGenerator'
import type { InspectionBus } from '../inspection/inspectionBus'
import { createWebSocketManager } from '../websocket/createWebSocketManager'
import type { LegacyWebSocketManagerWrapper } from '../websocket/legacyWrapper'
import { keywords, positional } from '../websocket/pythonCall'
import type { WebSocketManagerFactory } from '../websocket/webSocketManagerFactory'
import type { CodeEffect } from './codeEffects'

export interface EffectDependencies {
  factory: WebSocketManagerFactory
  wrapper: LegacyWebSocketManagerWrapper
  ids: UnifiedIdGenerator
  bus: InspectionBus
}

/** Runs one line of the modelled backend against the real factory and wrapper. Throws what they throw. */
export function runCodeEffect(effect: CodeEffect, module: string, deps: EffectDependencies): void {
  const caller = effect.site || module
  const call = effect.call
  switch (call.op) {
    case 'defer':
      return
    case 'get_websocket_manager_factory':
      if (!deps.factory) throw new Error('RuntimeError: WebSocket manager factory not available')
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
function contextFor(source: 'none' | 'request' | 'models_path', ids: UnifiedIdGenerator): unknown {
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
