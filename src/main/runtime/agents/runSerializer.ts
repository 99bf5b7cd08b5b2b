import type { AgentEventType } from '../../../shared/agentEvents'
import type { ContextIds } from '../../../shared/context'
import { jsonString } from '../../../shared/json'

/** JSON of payloads declared constant: serialized once, not once per event. */
const constantJson = new WeakMap<object, string>()

/** Declares a payload that never changes (deep-frozen, so it cannot), letting every frame reuse its JSON. */
export function constantPayload<T extends Record<string, unknown>>(payload: T): T {
  const freeze = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return
    Object.freeze(value)
    for (const member of Object.values(value)) freeze(member)
  }
  freeze(payload)
  constantJson.set(payload, JSON.stringify(payload))
  return payload
}

/** The ids every event of a run carries. */
export interface RunIds {
  user_id: string
  thread_id: string
  run_id: string
}

/**
 * Serializes one run's agent_event frames and agent_event_emitted members by hand, around the parts that change
 * per event. The run's ids are escaped once, when the run starts; each event then costs a few concatenations
 * instead of a walk over a fresh object by JSON.stringify, which was a tenth of the runtime thread under load.
 * The text is exactly what JSON.stringify({ type: 'agent_event', event }) would give: a test holds it to that.
 */
export class RunSerializer {
  private readonly eventIds: string
  private readonly emittedIds: string

  constructor(ids: RunIds, managerId: string) {
    const user = jsonString(ids.user_id)
    const run = jsonString(ids.run_id)
    this.eventIds = `"user_id":${user},"thread_id":${jsonString(ids.thread_id)},"run_id":${run}`
    this.emittedIds = `"user_id":${user},"run_id":${run},"manager_id":${jsonString(managerId)}`
  }

  /** The frame sent to the user: {"type":"agent_event","event":{...}}, members in AgentEvent's order. */
  frame(
    eventId: string,
    type: AgentEventType,
    step: number,
    emittedAt: number,
    payload: Record<string, unknown>
  ): string {
    return (
      `{"type":"agent_event","event":{"event_id":${jsonString(eventId)},"type":"${type}",${this.eventIds},` +
      `"step":${step},"emitted_at":${emittedAt},"payload":${constantJson.get(payload) ?? JSON.stringify(payload)}}}`
    )
  }

  /** agent_event_emitted's members for InspectionBus.emitSerialized. */
  emittedMembers(eventId: string, type: AgentEventType, recipients: number): string {
    return `"event_id":${jsonString(eventId)},"type":"${type}",${this.emittedIds},"recipients":${recipients}`
  }
}

/** run_started's members for InspectionBus.emitSerialized, as JSON.stringify writes { context }. */
export function runStartedMembers(context: ContextIds): string {
  return (
    `"context":{"user_id":${jsonString(context.user_id)},"thread_id":${jsonString(context.thread_id)},` +
    `"run_id":${jsonString(context.run_id)},"request_id":${jsonString(context.request_id)}}`
  )
}

/** run_completed's members for InspectionBus.emitSerialized. */
export function runCompletedMembers(runId: string, userId: string, emitted: number): string {
  return `"run_id":${jsonString(runId)},"user_id":${jsonString(userId)},"emitted":${emitted}`
}
