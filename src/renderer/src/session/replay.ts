import type { InspectionEvent } from '../../../shared/inspection'
import type { MachineGraph } from '../../../shared/machineGraph'
import { createInitialState, reduceEvents, type InspectorState } from '../store'

/** A recording shown in place of the live session: the same reducer, fed from a file instead of the runtime. */
export interface Replay {
  name: string
  state: InspectorState
  /** The file's last line was cut off (a recording taken while the runtime was still writing). */
  tornLastLine: boolean
}

export function replayFromEvents(
  name: string,
  events: InspectionEvent[],
  machine: MachineGraph | null,
  tornLastLine: boolean
): Replay {
  // A recording carries events only; the machine's shape is the running build's, the same one that recorded it.
  const state = reduceEvents({ ...createInitialState(), machine }, events)
  return { name, state, tornLastLine }
}
