import type { InspectionEvent } from '../../../shared/inspection'
import type { InspectorState, Timeline } from '../store'

/** The state after the first `cursor` events, with the event the cursor last applied. */
export interface TimelineView {
  cursor: number
  state: InspectorState
  event: InspectionEvent | null
}

/** How far a timeline has been read; a file's grows while it is indexed, events held in memory are all there. */
export interface TimelineProgress {
  /** Events that can be shown so far. */
  events: number
  /** The file's size and how much of it is read; null for events held in memory. */
  totalBytes: number | null
  bytesRead: number | null
  loading: boolean
  /** The file's last line was cut off (a recording taken while the runtime was still writing). */
  tornLastLine: boolean
  /** Why reading stopped early: the first bad line (events before it stay viewable), or a failed read. */
  failure: { line: number | null; problem: string } | null
}

/**
 * What a replay moves its cursor over: events in memory (a scenario's trace, a target run) or a recording file of
 * any size. Views arrive asynchronously, so the views keep showing the last one until the next is ready.
 */
export interface ReplayTimeline {
  readonly length: number
  progress(): TimelineProgress
  /** Called whenever progress changes. Returns its own unsubscribe. */
  subscribe(listener: () => void): () => void
  viewAt(cursor: number): Promise<TimelineView>
  /** Lets go of what the timeline holds (a file's worker). */
  close(): void
}

/** A ReplayTimeline over events held in memory: complete from the start, every view at once. */
export function memoryReplayTimeline(timeline: Timeline, tornLastLine = false): ReplayTimeline {
  const progress: TimelineProgress = {
    events: timeline.length,
    totalBytes: null,
    bytesRead: null,
    loading: false,
    tornLastLine,
    failure: null
  }
  return {
    length: timeline.length,
    progress: () => progress,
    subscribe: () => () => {},
    viewAt: (cursor) => {
      const at = Math.max(0, Math.min(timeline.length, Math.floor(cursor)))
      return Promise.resolve({ cursor: at, state: timeline.stateAt(at), event: timeline.eventAt(at) })
    },
    close: () => {}
  }
}
