import type { MachineGraph } from '../../../shared/machineGraph'
import type { TimelineView } from '../session/replayTimeline'
import type { IndexProgress } from './recordingIndexer'

/** Page → recording worker. One worker opens one file; the page ends it when the replay closes. */
export type ToRecordingWorker =
  { type: 'open'; file: Blob; machine: MachineGraph | null } | { type: 'view'; id: number; cursor: number }

/** Recording worker → page. */
export type FromRecordingWorker =
  | { type: 'progress'; progress: IndexProgress }
  | { type: 'view'; id: number; view: TimelineView }
  | { type: 'error'; id: number | null; message: string }
