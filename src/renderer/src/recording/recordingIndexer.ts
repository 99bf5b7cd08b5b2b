import type { InspectionEvent } from '../../../shared/inspection'
import { checkRecordingLine } from '../../../shared/recordingFormat'
import type { TimelineView } from '../session/replayTimeline'
import { EventFold, reduceEvents, type InspectorState } from '../store'
import { Checkpoints } from './checkpoints'
import { BufferPool, readLines, type ByteSource, type LineBatch } from '../../../shared/lineReader'
import { OffsetIndex } from './offsetIndex'
import { SharedStrings } from './sharedStrings'

/** Bytes read at a time: big enough that a read costs little per line, small enough to report progress often. */
export const INDEX_CHUNK_BYTES = 4 * 1024 * 1024

/**
 * Bytes a view reads back at a time, into buffers the indexer keeps: a fresh buffer the size of a scrub's events
 * cost more to touch than the events did to read.
 */
const READ_BACK_CHUNK_BYTES = 1024 * 1024

/** Longest the indexer reads without letting the worker answer a view. */
const YIELD_EVERY_MS = 100

export interface IndexProgress {
  totalBytes: number
  /** Bytes read and checked so far. */
  bytesRead: number
  /** Events indexed so far: every one of them can be shown. */
  events: number
  /** 1 for a recording without a header, else the header's. Null before the first line. */
  version: number | null
  done: boolean
  /** The file's last line had no newline and did not parse: a torn write, reported, not an error. */
  tornLastLine: boolean
  /** The first bad line; indexing stopped there and the events before it stay viewable. */
  failure: { line: number; problem: string } | null
}

/**
 * Opens a recording of any size without holding its events: reads it a chunk at a time, checks every line (the
 * first bad one stops it, named), keeps each event's byte offset and a bounded set of reducer checkpoints. The
 * state at any cursor is then its nearest checkpoint plus the events after it, read back from the file.
 */
export class RecordingIndexer {
  private readonly offsets = new OffsetIndex()
  private readonly checkpoints: Checkpoints
  /**
   * The fold over every event indexed so far, each folded as it is checked. Its state is taken only at checkpoints
   * and when a view asks for it: every state taken ends a batch of the reducer, and a batch costs a copy of every
   * user, lane and manager it touches (a block of lines read is a few hundred events).
   */
  private readonly running: EventFold
  /** The last view answered, so stepping forward folds only the events stepped over. */
  private lastView: TimelineView | null = null
  private readonly status: IndexProgress
  private readonly strings = new SharedStrings()
  private readonly readBackBuffers = new BufferPool(READ_BACK_CHUNK_BYTES)

  constructor(
    private readonly source: ByteSource,
    base: InspectorState,
    private readonly chunkBytes = INDEX_CHUNK_BYTES
  ) {
    this.checkpoints = new Checkpoints(base)
    this.running = new EventFold(base)
    this.status = {
      totalBytes: source.size,
      bytesRead: 0,
      events: 0,
      version: null,
      done: false,
      tornLastLine: false,
      failure: null
    }
  }

  get progress(): IndexProgress {
    return { ...this.status, failure: this.status.failure && { ...this.status.failure } }
  }

  get checkpointCount(): number {
    return this.checkpoints.count
  }

  /**
   * Checks and folds every line of the file; `onProgress` after every batch. Resolves when done or stopped at a bad
   * line. `lines` are the file's, split by readLines: read here by default, or by another worker (lineChannel.ts).
   */
  async run(
    onProgress: (progress: IndexProgress) => void = () => {},
    lines: AsyncIterable<LineBatch> = readLines(this.source, this.chunkBytes)
  ): Promise<IndexProgress> {
    let lineNumber = 0
    let lastYield = performance.now()
    // Each event is folded as soon as it is checked: none is held until its chunk ends.
    for await (const batch of lines) {
      for (let index = 0; index < batch.texts.length; index++) {
        lineNumber += 1
        const text = batch.texts[index] as string
        if (text.trim() === '') continue
        const checked = checkRecordingLine(text, this.status.version === null)
        if (checked.kind === 'header') {
          this.status.version = checked.version
          continue
        }
        if (checked.kind === 'bad') {
          const isLast = batch.unterminatedLast && index === batch.texts.length - 1
          if (isLast && checked.notJson) this.status.tornLastLine = true
          else this.status.failure = { line: lineNumber, problem: checked.problem }
          this.status.bytesRead = this.status.totalBytes
          return this.finish(onProgress)
        }
        this.status.version ??= 1
        this.offsets.push(batch.starts[index] as number)
        this.offsets.end = index + 1 < batch.starts.length ? (batch.starts[index + 1] as number) : batch.end
        this.running.add(this.strings.shareIn(checked.event))
        this.status.events += 1
        if (this.checkpoints.dueIn(this.status.events) === 0) {
          this.checkpoints.offer(this.status.events, this.running.state())
        }
      }
      this.status.bytesRead = batch.end
      onProgress(this.progress)
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        // A file's stream hands over data as microtasks: without a turn of the event loop now and then, a view the
        // page asks for would wait until the whole file is read.
        await new Promise((resolve) => setTimeout(resolve, 0))
        lastYield = performance.now()
      }
    }
    return this.finish(onProgress)
  }

  /** The state after `cursor` events (clamped to what is indexed), and the event at the cursor. */
  async viewAt(cursor: number): Promise<TimelineView> {
    const at = Math.max(0, Math.min(this.status.events, Math.floor(cursor)))
    if (at === this.status.events) return this.remember(at, this.running.state(), await this.eventAt(at))
    let { applied, state } = this.checkpoints.before(at)
    const last = this.lastView
    if (last !== null && last.cursor <= at && last.cursor >= applied) {
      applied = last.cursor
      state = last.state
    }
    const events = await this.readEvents(applied, at)
    return this.remember(
      at,
      reduceEvents(state, events),
      events[events.length - 1] ?? (await this.eventAt(at))
    )
  }

  /** The event the cursor last applied (cursor 1 is the first event), or null at 0. */
  async eventAt(cursor: number): Promise<InspectionEvent | null> {
    if (cursor <= 0 || cursor > this.status.events) return null
    return (await this.readEvents(cursor - 1, cursor))[0] ?? null
  }

  /** Events `from` (inclusive) to `to` (exclusive), read back from the file; they were checked when indexed. */
  private async readEvents(from: number, to: number): Promise<InspectionEvent[]> {
    if (to <= from) return []
    const range = this.source.slice(this.offsets.start(from), this.offsets.start(to))
    const events: InspectionEvent[] = []
    for await (const { texts } of readLines(range, READ_BACK_CHUNK_BYTES, this.readBackBuffers)) {
      for (const line of texts) if (line.trim() !== '') events.push(JSON.parse(line) as InspectionEvent)
    }
    return events
  }

  private finish(onProgress: (progress: IndexProgress) => void): IndexProgress {
    this.status.done = true
    this.status.version ??= 1
    onProgress(this.progress)
    return this.progress
  }

  private remember(cursor: number, state: InspectorState, event: InspectionEvent | null): TimelineView {
    this.lastView = { cursor, state, event }
    return this.lastView
  }
}
