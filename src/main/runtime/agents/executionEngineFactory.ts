import { BackendError, SEED_SITE, SEED_TEXT } from '../errors'
import type { AnyContext } from '../context/contextService'
import type { InspectionBus } from '../inspection/inspectionBus'
import type { IsolatedWebSocketManager } from '../websocket/isolatedWebSocketManager'
import type { AgentWebSocketBridge } from './agentWebSocketBridge'
import { ExecutionEngine } from './executionEngine'
import type { SupervisorFactory } from './supervisorFactory'

export interface ExecutionEngineFactoryOptions {
  /** ADR-001's guard. Off reproduces the legacy factory that accepted a missing bridge and ran silently. */
  failFast: boolean
  /** Pause between an agent's steps; 0 runs a whole agent within a few event-loop turns. */
  stepDelayMs: number
  /** Hands each run its bridge (shared or per user) when a scenario models ADR-001's designs; else the one bridge. */
  supervisor?: SupervisorFactory
}

/** app.state.execution_engine_factory: one engine per run, each wired to the bridge it was configured with. */
export class ExecutionEngineFactory {
  constructor(
    private readonly websocketBridge: AgentWebSocketBridge | undefined,
    private readonly bus: InspectionBus,
    private readonly options: ExecutionEngineFactoryOptions
  ) {
    if (!websocketBridge && options.failFast) {
      throw new BackendError(
        'ExecutionEngineFactoryError',
        SEED_TEXT.engineFactoryRequiresBridge,
        SEED_SITE.engineFactory
      )
    }
  }

  get hasBridge(): boolean {
    return this.websocketBridge !== undefined
  }

  createEngine(context: AnyContext, manager: IsolatedWebSocketManager): ExecutionEngine {
    const bridge =
      this.websocketBridge && this.options.supervisor
        ? this.options.supervisor.bridgeFor(context)
        : this.websocketBridge
    const emitter = bridge?.emitterFor(context, manager) ?? null
    return new ExecutionEngine(context, emitter, this.bus, this.options.stepDelayMs)
  }
}

/** smd.py's step 5: `configure_execution_engine_factory(websocket_bridge=app.state.agent_websocket_bridge)`. */
export function configureExecutionEngineFactory(
  websocketBridge: AgentWebSocketBridge | undefined,
  bus: InspectionBus,
  options: ExecutionEngineFactoryOptions
): ExecutionEngineFactory {
  return new ExecutionEngineFactory(websocketBridge, bus, options)
}
