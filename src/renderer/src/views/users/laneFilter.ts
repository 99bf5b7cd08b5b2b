import { AGENT_EVENT_TYPES, type AgentEventType } from '../../../../shared/agentEvents'
import type { LaneEntry } from '../../store'

export interface LaneFilter {
  types: Record<AgentEventType, boolean>
  violationsOnly: boolean
}

export const ALL_TYPES_ON: LaneFilter = {
  types: Object.fromEntries(AGENT_EVENT_TYPES.map((type) => [type, true])) as Record<AgentEventType, boolean>,
  violationsOnly: false
}

/** An observed frame (observe mode) has no agent type: only "violations only" can hide it. */
export function passesFilter(filter: LaneFilter, entry: LaneEntry): boolean {
  if (entry.kind === 'frame') return !filter.violationsOnly || entry.violation
  return filter.types[entry.type] && (!filter.violationsOnly || entry.violation || entry.canary !== null)
}

/** True when the filter keeps every entry (the default), so a lane can index its ring directly. */
export function filtersNothing(filter: LaneFilter): boolean {
  return !filter.violationsOnly && AGENT_EVENT_TYPES.every((type) => filter.types[type])
}
