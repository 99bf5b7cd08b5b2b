import { createInitialState } from '../store'
import { receiveLines } from './lineChannel'
import { RecordingIndexer } from './recordingIndexer'
import { packView } from './viewPacking'
import type { FromRecordingWorker, ToRecordingWorker } from './workerProtocol'

/**
 * Indexes a recording off the page's thread and answers views of it: the page never holds the file's events, only
 * the state it shows. Its lines come split from the line reader worker (lineReader.worker.ts). Messages come from
 * our own page (same origin), typed by workerProtocol.ts.
 */
interface WorkerScope {
  postMessage(message: FromRecordingWorker, transfer?: ArrayBuffer[]): void
  onmessage: ((message: MessageEvent<ToRecordingWorker>) => void) | null
}
// The renderer's TypeScript has the DOM's types, not the worker's (they clash): this is all it uses of them.
const scope = self as unknown as WorkerScope
let indexer: RecordingIndexer | null = null

const post = (message: FromRecordingWorker): void => scope.postMessage(message)
const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error))

scope.onmessage = (message: MessageEvent<ToRecordingWorker>): void => {
  const request = message.data
  if (request.type === 'open') {
    const opened = new RecordingIndexer(request.file, { ...createInitialState(), machine: request.machine })
    indexer = opened
    opened
      .run((progress) => post({ type: 'progress', progress }), receiveLines(request.lines))
      .catch((error: unknown) => post({ type: 'error', id: null, message: describe(error) }))
    return
  }
  if (indexer === null) return post({ type: 'error', id: request.id, message: 'no recording is open' })
  indexer
    .viewAt(request.cursor)
    .then((view) => {
      const { packed, transfer } = packView(view)
      scope.postMessage({ type: 'view', id: request.id, view: packed }, transfer)
    })
    .catch((error: unknown) => post({ type: 'error', id: request.id, message: describe(error) }))
}
