import { z } from 'zod'
import type { ContractName } from '../../../shared/inspection'
import { AgentWebSocketBridge } from '../agents/agentWebSocketBridge'
import { ExecutionEngineFactory } from '../agents/executionEngineFactory'
import { WebSocketConnectionPool } from '../websocket/webSocketConnectionPool'

/** app.state as start-up leaves it. Each slot is filled in CONFIGURATION; READINESS checks them. */
export interface AppState {
  websocket_connection_pool?: WebSocketConnectionPool
  agent_websocket_bridge?: AgentWebSocketBridge
  execution_engine_factory?: ExecutionEngineFactory
}

const present = (name: string, type: string) => ({
  error: `app.state.${name} must be a ${type}; it is missing or of another type. Configure it in CONFIGURATION.`
})

/** ADR-001 section 4.2.1: what each app-state slot must hold for the system to be ready. */
export const APP_STATE_CONTRACT_SCHEMAS: Record<ContractName, z.ZodType> = {
  websocket_connection_pool: z.instanceof(
    WebSocketConnectionPool,
    present('websocket_connection_pool', 'WebSocketConnectionPool')
  ),
  agent_websocket_bridge: z.instanceof(
    AgentWebSocketBridge,
    present('agent_websocket_bridge', 'AgentWebSocketBridge')
  ),
  execution_engine_factory: z
    .instanceof(ExecutionEngineFactory, present('execution_engine_factory', 'ExecutionEngineFactory'))
    .refine((factory) => factory.hasBridge, {
      error:
        'execution_engine_factory has no websocket_bridge: agent runs would complete without sending any of the ' +
        'five events. Pass app.state.agent_websocket_bridge to configure_execution_engine_factory.'
    })
}

export interface ContractFinding {
  contract: ContractName
  ok: boolean
  findings: string[]
}

export function validateAppStateContracts(state: AppState): ContractFinding[] {
  return (Object.keys(APP_STATE_CONTRACT_SCHEMAS) as ContractName[]).map((contract) => {
    const result = APP_STATE_CONTRACT_SCHEMAS[contract].safeParse(state[contract])
    return {
      contract,
      ok: result.success,
      findings: result.success ? [] : result.error.issues.map((issue) => issue.message)
    }
  })
}
