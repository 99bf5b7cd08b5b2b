import type { HelloResult } from '../../../shared/inspectorApi'
import { reduceEvents } from './reducer'
import { createInitialState, LIMITS, type InspectorState } from './state'

/** A fresh projection from a `hello` reply (or a `reset` push): the machine, the faults, then the whole history. */
export function reset(hello: HelloResult, laneCapacity: number = LIMITS.defaultLaneCapacity): InspectorState {
  const initial = { ...createInitialState(laneCapacity), machine: hello.machine, faults: hello.faults }
  return reduceEvents(initial, hello.history)
}
