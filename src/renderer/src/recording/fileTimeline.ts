import type { MachineGraph } from '../../../shared/machineGraph'
import type { ReplayTimeline, TimelineProgress, TimelineView } from '../session/replayTimeline'
import type { IndexProgress } from './recordingIndexer'
import { unpackView } from './viewPacking'
import type { FromRecordingWorker, ToLineReader, ToRecordingWorker } from './workerProtocol'

const NOTIFY_EVERY_MS = 1_000

/**
 * A recording file seen through a worker that indexes it (src/renderer/src/recording/recording.worker.ts), fed its
 * lines by a second that reads it (lineReader.worker.ts): grows while the file is read, and answers each view
 * asynchronously. The page holds the progress and the views it asked for, never the file's events.
 */
export class FileTimeline implements ReplayTimeline {
  private readonly worker: Worker
  private readonly reader: Worker
  private status: TimelineProgress
  private readonly listeners = new Set<() => void>()
  private readonly waiting = new Map<
    number,
    { resolve: (view: TimelineView) => void; reject: (e: Error) => void }
  >()
  private nextId = 1
  private lastNotified = 0
  private trailing: ReturnType<typeof setTimeout> | null = null

  constructor(file: Blob, machine: MachineGraph | null) {
    this.status = fromIndex({
      totalBytes: file.size,
      bytesRead: 0,
      events: 0,
      version: null,
      done: false,
      tornLastLine: false,
      failure: null
    })
    this.worker = new Worker(new URL('./recording.worker.ts', import.meta.url), { type: 'module' })
    this.worker.onmessage = (message: MessageEvent<FromRecordingWorker>) => this.receive(message.data)
    this.worker.onerror = (event) => this.fail(event.message || 'the recording worker failed')
    this.reader = new Worker(new URL('./lineReader.worker.ts', import.meta.url), { type: 'module' })
    this.reader.onerror = (event) => this.fail(event.message || 'the recording reader failed')
    const channel = new MessageChannel()
    this.reader.postMessage({ file, port: channel.port1 } satisfies ToLineReader, [channel.port1])
    this.post({ type: 'open', file, lines: channel.port2, machine }, [channel.port2])
  }

  get length(): number {
    return this.status.events
  }

  progress(): TimelineProgress {
    return this.status
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  viewAt(cursor: number): Promise<TimelineView> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      this.post({ type: 'view', id, cursor })
    })
  }

  close(): void {
    this.worker.terminate()
    this.reader.terminate()
    if (this.trailing !== null) clearTimeout(this.trailing)
    for (const { reject } of this.waiting.values()) reject(new Error('the recording was closed'))
    this.waiting.clear()
    this.listeners.clear()
  }

  private receive(message: FromRecordingWorker): void {
    if (message.type === 'progress') {
      // Indexing stops at the end or at a bad line: the reader has nothing more to do either way.
      if (message.progress.done) this.reader.terminate()
      return this.update(fromIndex(message.progress))
    }
    const waiter = message.id === null ? undefined : this.waiting.get(message.id)
    if (message.id !== null) this.waiting.delete(message.id)
    if (message.type === 'view') return waiter?.resolve(unpackView(message.view))
    if (waiter !== undefined) return waiter.reject(new Error(message.message))
    this.fail(message.message)
  }

  private fail(message: string): void {
    this.update({ ...this.status, loading: false, failure: { line: null, problem: message } })
  }

  /**
   * Listeners hear of progress at most every NOTIFY_EVERY_MS while the file is read (the first and the last at
   * once): each one re-renders the views at the new end, and a state crosses from the worker as a structured clone
   * (about 100 ms for 100 users' full lanes), which at every chunk took half the worker's time from indexing.
   */
  private update(next: TimelineProgress): void {
    this.status = next
    const wait = this.lastNotified + NOTIFY_EVERY_MS - performance.now()
    if (next.loading && wait > 0) {
      this.trailing ??= setTimeout(() => this.notify(), wait)
      return
    }
    this.notify()
  }

  private notify(): void {
    if (this.trailing !== null) clearTimeout(this.trailing)
    this.trailing = null
    this.lastNotified = performance.now()
    for (const listener of this.listeners) listener()
  }

  private post(message: ToRecordingWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer)
  }
}

function fromIndex(progress: IndexProgress): TimelineProgress {
  return { ...progress, loading: !progress.done }
}
