import { z } from 'zod'

/** The five events every agent run must deliver to its own user, in this order (ADR-001, section 5.3). */
export const AGENT_EVENT_TYPES = [
  'agent_started',
  'agent_thinking',
  'tool_executing',
  'tool_completed',
  'agent_completed'
] as const
export const agentEventTypeSchema = z.enum(AGENT_EVENT_TYPES)
export type AgentEventType = z.infer<typeof agentEventTypeSchema>

const STEPS = new Map<AgentEventType, number>(AGENT_EVENT_TYPES.map((type, step) => [type, step]))
/** An event type's position in a run, 0..4 (a map lookup: it is asked for every event). */
export const stepOf = (type: AgentEventType): number => STEPS.get(type) as number

/** One agent event as it travels from the bridge to a user's connection. */
export const agentEventSchema = z.strictObject({
  event_id: z.string(),
  type: agentEventTypeSchema,
  user_id: z.string(),
  thread_id: z.string(),
  run_id: z.string(),
  /** Position of this event within its run, 0..4. */
  step: z.number().int().min(0).max(4),
  /** Milliseconds since the runtime's epoch (performance.timeOrigin based), for latency. */
  emitted_at: z.number(),
  payload: z.record(z.string(), z.unknown())
})
export type AgentEvent = z.infer<typeof agentEventSchema>
