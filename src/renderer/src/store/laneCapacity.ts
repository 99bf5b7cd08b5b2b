import { foldIntoSummary } from './reducer'
import { createRing, ringPush, ringToArray } from './ring'
import { LIMITS, type InspectorState, type Lane, type LaneEntry } from './state'

/** Changes how many delivered events each lane keeps; entries that no longer fit are folded into its summary. */
export function setLaneCapacity(state: InspectorState, capacity: number): InspectorState {
  const next = Math.min(LIMITS.maxLaneCapacity, Math.max(1, Math.floor(capacity)))
  if (!Number.isFinite(next) || next === state.laneCapacity) return state
  const lanes: Record<string, Lane> = {}
  for (const [userId, lane] of Object.entries(state.lanes)) lanes[userId] = resizeLane(lane, next)
  return { ...state, laneCapacity: next, lanes }
}

function resizeLane(lane: Lane, capacity: number): Lane {
  const summary = { ...lane.summary, foldedByType: { ...lane.summary.foldedByType } }
  const entries = createRing<LaneEntry>(capacity)
  for (const entry of ringToArray(lane.entries)) {
    const evicted = ringPush(entries, entry)
    if (evicted !== undefined) foldIntoSummary(summary, evicted)
  }
  return { user_id: lane.user_id, entries, summary }
}
