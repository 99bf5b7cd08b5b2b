import type { InspectionEvent } from '../../../shared/inspection'
import type { MachineGraph } from '../../../shared/machineGraph'
import { FileTimeline } from '../recording/fileTimeline'
import { createInitialState, Timeline } from '../store'
import { memoryReplayTimeline, type ReplayTimeline } from './replayTimeline'

/**
 * Events shown in place of the live session, read-only: a recording, or a scenario's trace. The same reducer
 * folds them, up to `cursor`, so every view shows the session as it was at that event.
 */
export interface Replay {
  name: string
  source: 'recording' | 'scenario'
  timeline: ReplayTimeline
  /** How many events are applied, 0..timeline.length; 'end' follows the end while a file is still being read. */
  cursor: number | 'end'
}

/** The cursor as a number of events, 'end' resolved against what the timeline holds now. */
export function replayCursor(replay: Replay, length: number): number {
  return replay.cursor === 'end' ? length : Math.max(0, Math.min(length, replay.cursor))
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
    timeline: memoryReplayTimeline(timeline, options.tornLastLine ?? false),
    cursor: options.cursor ?? 'end'
  }
}

/** A recording file of any size, indexed by a worker while the views already show what has been read. */
export function replayFromFile(file: File, machine: MachineGraph | null): Replay {
  return { name: file.name, source: 'recording', timeline: new FileTimeline(file, machine), cursor: 'end' }
}
