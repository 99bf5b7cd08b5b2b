import { toErrorInfo } from '../errors'
import type { UnifiedIdGenerator } from '../ids/unifiedIdGenerator'
import type { InspectionBus } from '../inspection/inspectionBus'
import type { CodeEffect } from '../startup/codeEffects'
import { contextFor } from '../startup/effectRunner'
import { createWebSocketManager } from '../websocket/createWebSocketManager'
import type { IsolatedWebSocketManager } from '../websocket/isolatedWebSocketManager'
import { keywords, positional } from '../websocket/pythonCall'
import type { WebSocketManagerFactory } from '../websocket/webSocketManagerFactory'

export interface FixtureTestResult {
  passed: boolean
  /** What the test saw: its manager, or the error its fixture raised during setup. */
  detail: string
}

/**
 * Seed 001's fix, a pytest function-scoped fixture: when a test runs (not when its module is imported), the setup
 * builds a UserExecutionContext and asks the factory for a manager with it; the test gets that manager; teardown
 * closes it after the test. A setup that raises errors the test, as pytest reports it.
 */
export class PerTestFixture {
  constructor(
    readonly name: string,
    private readonly setup: CodeEffect,
    private readonly deps: { factory: WebSocketManagerFactory; bus: InspectionBus; ids: UnifiedIdGenerator }
  ) {}

  runTest(body: (manager: IsolatedWebSocketManager) => void): FixtureTestResult {
    const call = this.setup.call
    if (call.op !== 'create_websocket_manager')
      return { passed: false, detail: `fixture ${this.name} does not create a manager (${call.op})` }
    let manager: IsolatedWebSocketManager
    try {
      const context = contextFor(call.context, this.deps.ids)
      const pythonCall = call.style === 'keyword' ? keywords({ context }) : positional(context)
      manager = createWebSocketManager(this.deps.factory, this.deps.bus, pythonCall, this.setup.site)
    } catch (error) {
      const info = toErrorInfo(error)
      return {
        passed: false,
        detail: `error in setup of fixture ${this.name}: ${info.type}: ${info.message}`
      }
    }
    try {
      body(manager)
      return { passed: true, detail: `ran with manager ${manager.id} of ${manager.userId ?? 'nobody'}` }
    } finally {
      this.deps.factory.close(manager)
    }
  }
}
