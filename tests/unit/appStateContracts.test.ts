import { describe, expect, it } from 'vitest'
import { AgentWebSocketBridge } from '../../src/main/runtime/agents/agentWebSocketBridge'
import { ExecutionEngineFactory } from '../../src/main/runtime/agents/executionEngineFactory'
import { UnifiedIdGenerator } from '../../src/main/runtime/ids/unifiedIdGenerator'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { validateAppStateContracts } from '../../src/main/runtime/startup/appStateContracts'
import { LegacyWebSocketManagerWrapper } from '../../src/main/runtime/websocket/legacyWrapper'
import { WebSocketConnectionPool } from '../../src/main/runtime/websocket/webSocketConnectionPool'
import { WebSocketManagerFactory } from '../../src/main/runtime/websocket/webSocketManagerFactory'

const bus = new InspectionBus()
const ids = new UnifiedIdGenerator(1)
const factory = new WebSocketManagerFactory(ids, bus)
const pool = new WebSocketConnectionPool(factory, new LegacyWebSocketManagerWrapper(factory, bus, 'strict'))
const bridge = new AgentWebSocketBridge(ids, bus)
const options = { failFast: false, stepDelayMs: 0 }

describe('app-state contracts', () => {
  it('pass when every slot holds the right component and the engine factory has its bridge', () => {
    const findings = validateAppStateContracts({
      websocket_connection_pool: pool,
      agent_websocket_bridge: bridge,
      execution_engine_factory: new ExecutionEngineFactory(bridge, bus, options)
    })
    expect(findings.map((finding) => [finding.contract, finding.ok])).toEqual([
      ['websocket_connection_pool', true],
      ['agent_websocket_bridge', true],
      ['execution_engine_factory', true]
    ])
  })

  it('name each missing slot and say where to fill it', () => {
    const findings = validateAppStateContracts({})
    expect(findings.every((finding) => !finding.ok)).toBe(true)
    expect(findings[1]?.findings[0]).toContain(
      'app.state.agent_websocket_bridge must be a AgentWebSocketBridge'
    )
  })

  it('catch an engine factory configured without its bridge (ADR-001 WHY #2)', () => {
    const [, , engine] = validateAppStateContracts({
      websocket_connection_pool: pool,
      agent_websocket_bridge: bridge,
      execution_engine_factory: new ExecutionEngineFactory(undefined, bus, options)
    })
    expect(engine?.ok).toBe(false)
    expect(engine?.findings[0]).toContain('execution_engine_factory has no websocket_bridge')
  })

  it('a fail-fast engine factory refuses to exist without a bridge, with the ADR text', () => {
    expect(() => new ExecutionEngineFactory(undefined, bus, { failFast: true, stepDelayMs: 0 })).toThrow(
      'ExecutionEngineFactory requires websocket_bridge during initialization. This is required for WebSocket events that enable chat business value.'
    )
  })
})
