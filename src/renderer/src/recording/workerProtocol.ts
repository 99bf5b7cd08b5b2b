import type { MachineGraph } from '../../../shared/machineGraph'
import type { IndexProgress } from './recordingIndexer'
import type { PackedView } from './viewPacking'

/**
 * Page → recording worker. One worker opens one file, its lines arriving through `lines` from the line reader
 * worker; the page ends both when the replay closes.
 */
export type ToRecordingWorker =
  | { type: 'open'; file: Blob; lines: MessagePort; machine: MachineGraph | null }
  | { type: 'view'; id: number; cursor: number }

/** Page → line reader worker: the file to read, and the port to the recording worker (lineChannel.ts). */
export interface ToLineReader {
  file: Blob
  port: MessagePort
}

/** Recording worker → page. */
export type FromRecordingWorker =
  | { type: 'progress'; progress: IndexProgress }
  | { type: 'view'; id: number; view: PackedView }
  | { type: 'error'; id: number | null; message: string }
