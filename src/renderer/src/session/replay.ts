import type { InspectionEvent } from '../../../shared/inspection'
import type { MachineGraph } from '../../../shared/machineGraph'
import { createInitialState, Timeline } from '../store'

/**
 * Events shown in place of the live session, read-only: a recording, or a scenario's trace. The same reducer
 * folds them, up to `cursor`, so every view shows the session as it was at that event.
 */
export interface Replay {
  name: string
  source: 'recording' | 'scenario'
  timeline: Timeline
  /** How many events are applied, 0..timeline.length. */
  cursor: number
  /** The file's last line was cut off (a recording taken while the runtime was still writing). */
  tornLastLine: boolean
}

export function replayFromEvents(
  name: string,
  events: readonly InspectionEvent[],
  machine: MachineGraph | null,
  options: { tornLastLine?: boolean; source?: Replay['source']; cursor?: number } = {}
): Replay {
  // A recording carries events only; the machine's shape is the running build's, the same one that recorded it.
  const timeline = new Timeline(events, { ...createInitialState(), machine })
  return {
    name,
    source: options.source ?? 'recording',
    timeline,
    cursor: Math.max(0, Math.min(events.length, options.cursor ?? events.length)),
    tornLastLine: options.tornLastLine ?? false
  }
}
