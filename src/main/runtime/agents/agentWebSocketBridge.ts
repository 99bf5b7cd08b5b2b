import { stepOf, type AgentEventType } from '../../../shared/agentEvents'
import type { AnyContext } from '../context/contextService'
import type { UnifiedIdGenerator } from '../ids/unifiedIdGenerator'
import type { InspectionBus } from '../inspection/inspectionBus'
import type { IsolatedWebSocketManager } from '../websocket/isolatedWebSocketManager'
import { RunSerializer, SerializerScratch, type Payload } from './runSerializer'
import { toMicros } from '../../../shared/numberText'

/** Wall-clock milliseconds to the microsecond, comparable across worker threads (see numberText for the grid). */
export const preciseNow = (): number => toMicros(performance.timeOrigin + performance.now())

/** What an agent run emits through: bound to one run's context and the manager its handler acquired. */
export interface RunEmitter {
  emit(type: AgentEventType, payload: Payload): void
}

/**
 * app.state.agent_websocket_bridge: turns an agent's progress into the five WebSocket events, through the manager
 * of the run's own user (ADR-001: one bridge per user context, created by the factory).
 */
export class AgentWebSocketBridge {
  /** Events emitted through this bridge, and the deliveries they were sent to (a load waits for all of them). */
  readonly sent = { events: 0, deliveries: 0 }
  private readonly scratch = new SerializerScratch()

  constructor(
    private readonly ids: UnifiedIdGenerator,
    private readonly bus: InspectionBus
  ) {}

  emitterFor(context: AnyContext, manager: IsolatedWebSocketManager): RunEmitter {
    return new ManagedRunEmitter(
      new RunSerializer(context, manager.id, this.scratch),
      manager,
      this.ids,
      this.bus,
      this.sent
    )
  }
}

/**
 * One run's emitter, sending through its user's manager. A class rather than an object holding a closure: a run is
 * made thousands of times a second, and under tsx every named closure also costs a defineProperty call.
 */
class ManagedRunEmitter implements RunEmitter {
  constructor(
    private readonly serializer: RunSerializer,
    private readonly manager: IsolatedWebSocketManager,
    private readonly ids: UnifiedIdGenerator,
    private readonly bus: InspectionBus,
    private readonly sent: { events: number; deliveries: number }
  ) {}

  emit(type: AgentEventType, payload: Payload): void {
    const eventId = this.ids.eventId()
    const frame = this.serializer.frame(eventId, type, stepOf(type), preciseNow(), payload)
    const recipients = this.manager.send(frame)
    this.sent.events += 1
    this.sent.deliveries += recipients
    this.bus.emitEncoded(
      'agent_event_emitted',
      this.serializer.emittedMembersBytes(eventId, type, recipients)
    )
  }
}
