import type { StartupState } from '../../../shared/inspection'
import { ringAt } from './ring'
import type { InspectorState, LaneEntry, LatencyStats, UserView } from './state'

/** The state to highlight: the last transition's target, or the machine's initial state before any. */
export function currentPhase(state: InspectorState): string | null {
  return state.phase.current ?? state.machine?.initial ?? null
}

export function isShared(state: InspectorState): boolean {
  return Object.values(state.factory.managers).some((manager) => manager.mode === 'shared')
}

/** Users in order of first appearance, so lanes do not jump around. */
export function usersInOrder(state: InspectorState): UserView[] {
  return Object.values(state.users).sort((a, b) => a.order - b.order)
}

/** Runs the runtime started and has not finished emitting (run_started without its run_completed yet). */
export function runsInFlight(state: InspectorState): number {
  let running = 0
  for (const user of Object.values(state.users)) running += user.runsStarted - user.runsCompleted
  return running
}

export function averageMs(stats: LatencyStats): number | null {
  return stats.count === 0 ? null : stats.total / stats.count
}

/** Ring indices of a lane's entries that pass `keep`, oldest first; what a filtered virtual list renders. */
export function filteredLaneIndices(
  state: InspectorState,
  userId: string,
  keep: (e: LaneEntry) => boolean
): number[] {
  const lane = state.lanes[userId]
  if (lane === undefined) return []
  const indices: number[] = []
  for (let i = 0; i < lane.entries.size; i += 1) {
    const entry = ringAt(lane.entries, i)
    if (entry !== undefined && keep(entry)) indices.push(i)
  }
  return indices
}

export function phaseVisited(state: InspectorState, phase: StartupState): boolean {
  for (let i = 0; i < state.phase.history.size; i += 1) {
    if (ringAt(state.phase.history, i)?.to === phase) return true
  }
  return false
}
