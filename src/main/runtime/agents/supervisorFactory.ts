import type { AnyContext } from '../context/contextService'
import type { UnifiedIdGenerator } from '../ids/unifiedIdGenerator'
import type { InspectionBus } from '../inspection/inspectionBus'
import type { DeferredFactories } from '../startup/deferredFactories'
import type { WebSocketManagerFactory } from '../websocket/webSocketManagerFactory'
import { AgentWebSocketBridge } from './agentWebSocketBridge'

/**
 * ADR-001's two designs for how a run reaches its bridge:
 * - shared: the singleton the ADR migrates away from, one bridge created at start-up and kept in app.state for
 *   every user;
 * - per_user: the factory pattern it moves to, a bridge factory in app.state, and SupervisorFactory making each
 *   user's own bridge and tool dispatcher from the user's context on that user's first run.
 */
export type BridgeScope = 'shared' | 'per_user'

/** supervisor_factory.py: hands each run its bridge, and lets deferred factories create on a run's first use. */
export class SupervisorFactory {
  private readonly perUser = new Map<string, AgentWebSocketBridge>()

  constructor(
    /** null: neither design is modelled (no trace of its own); runs use the one bridge. */
    readonly scope: BridgeScope | null,
    private readonly sharedBridge: AgentWebSocketBridge,
    private readonly deps: {
      ids: UnifiedIdGenerator
      bus: InspectionBus
      factory: WebSocketManagerFactory
      deferred: DeferredFactories
    }
  ) {
    const { bus } = deps
    if (scope === 'shared')
      bus.emit({
        kind: 'backend_call',
        site: 'smd.py',
        code: 'app.state.agent_websocket_bridge = AgentWebSocketBridge()',
        op: 'shared_bridge',
        outcome: 'one bridge for every user, created at start-up and stored in app.state'
      })
    else if (scope === 'per_user')
      bus.emit({
        kind: 'backend_call',
        site: 'smd.py',
        code: 'app.state.websocket_bridge_factory = WebSocketBridgeFactory()',
        op: 'bridge_factory',
        outcome: 'a bridge factory stored in app.state; each user gets a bridge of their own'
      })
  }

  bridgeFor(context: AnyContext): AgentWebSocketBridge {
    this.deps.deferred.firstUse(context, this.deps.factory)
    if (this.scope !== 'per_user') return this.sharedBridge
    const existing = this.perUser.get(context.user_id)
    if (existing) return existing
    const bridge = new AgentWebSocketBridge(this.deps.ids, this.deps.bus)
    const number = this.perUser.size + 1
    this.perUser.set(context.user_id, bridge)
    this.deps.bus.emit({
      kind: 'backend_call',
      site: 'supervisor_factory.py',
      code: 'create_supervisor(user_context): WebSocketBridgeFactory.create_bridge(user_context), ToolDispatcher(user_context)',
      op: 'per_user_bridge',
      outcome: `bridge ${number} and tool dispatcher ${number} for ${context.user_id} only`
    })
    return bridge
  }
}
