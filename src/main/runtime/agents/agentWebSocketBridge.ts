import { AGENT_EVENT_TYPES, type AgentEvent, type AgentEventType } from '../../../shared/agentEvents'
import type { AnyContext } from '../context/contextService'
import type { UnifiedIdGenerator } from '../ids/unifiedIdGenerator'
import type { InspectionBus } from '../inspection/inspectionBus'
import type { IsolatedWebSocketManager } from '../websocket/isolatedWebSocketManager'

/** Wall-clock milliseconds with sub-millisecond precision, comparable across worker threads. */
export const preciseNow = (): number => performance.timeOrigin + performance.now()

/** What an agent run emits through: bound to one run's context and the manager its handler acquired. */
export interface RunEmitter {
  emit(type: AgentEventType, payload: Record<string, unknown>): void
}

/**
 * app.state.agent_websocket_bridge: turns an agent's progress into the five WebSocket events, through the manager
 * of the run's own user (ADR-001: one bridge per user context, created by the factory).
 */
export class AgentWebSocketBridge {
  constructor(
    private readonly ids: UnifiedIdGenerator,
    private readonly bus: InspectionBus
  ) {}

  emitterFor(context: AnyContext, manager: IsolatedWebSocketManager): RunEmitter {
    return {
      emit: (type, payload) => {
        const event: AgentEvent = {
          event_id: this.ids.eventId(),
          type,
          user_id: context.user_id,
          thread_id: context.thread_id,
          run_id: context.run_id,
          step: AGENT_EVENT_TYPES.indexOf(type),
          emitted_at: preciseNow(),
          payload
        }
        const recipients = manager.send(event)
        this.bus.emit({
          kind: 'agent_event_emitted',
          event_id: event.event_id,
          type,
          user_id: context.user_id,
          run_id: context.run_id,
          manager_id: manager.id,
          recipients
        })
      }
    }
  }
}
