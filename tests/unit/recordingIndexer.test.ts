import { mkdtempSync, openAsBlob, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import {
  Checkpoints,
  MAX_CHECKPOINTS,
  MIN_CHECKPOINT_EVERY
} from '../../src/renderer/src/recording/checkpoints'
import { readLines } from '../../src/shared/lineReader'
import { RecordingIndexer } from '../../src/renderer/src/recording/recordingIndexer'
import { createInitialState, reduceEvents, Timeline } from '../../src/renderer/src/store'
import type { InspectionEvent } from '../../src/shared/inspection'
import { recordingHeaderLine } from '../../src/shared/recordingFormat'

const dir = mkdtempSync(join(tmpdir(), 'si-indexer-'))
const HEADER = recordingHeaderLine()

/** Real events from a real bus: warnings with multi-byte characters (chunk boundaries fall inside them), deliveries. */
function events(count: number): InspectionEvent[] {
  const bus = new InspectionBus({ historyLimit: count + 1 })
  for (let index = 0; index < count; index++) {
    if (index % 3 === 0) bus.emit({ kind: 'phase_transition', from: null, to: 'idle' })
    else if (index % 3 === 1) bus.emit({ kind: 'warning', code: 'w', message: `ünïcödé 漢字 😀 #${index}` })
    else {
      bus.emit({
        kind: 'agent_event_delivered',
        event_id: `evt_${index}`,
        type: 'agent_started',
        run_id: `run_${index % 4}`,
        owner_user_id: `user_${index % 2}`,
        receiver_user_id: 'user_0',
        latency_ms: index / 7
      })
    }
  }
  return bus.snapshot()
}

async function fileOf(name: string, text: string): Promise<Blob> {
  const path = join(dir, name)
  writeFileSync(path, text)
  return openAsBlob(path)
}

async function index(text: string, chunkBytes = 7): Promise<RecordingIndexer> {
  const indexer = new RecordingIndexer(await fileOf('r.ndjson', text), createInitialState(), chunkBytes)
  await indexer.run()
  return indexer
}

const lines = (list: readonly InspectionEvent[]): string[] => list.map((event) => JSON.stringify(event))

describe('readLines', () => {
  it('splits lines at any chunk size, inside multi-byte characters too, with each line’s byte offset', async () => {
    const twenty = lines(events(20))
    const text = `${HEADER}\r\n${twenty.join('\n')}\n\n`
    const bytes = Buffer.from(text)
    const blob = await fileOf('lines.ndjson', text)
    // Read from the file's stream, and slice by slice as where a source has no stream.
    const sliceOnly = { size: blob.size, slice: (start: number, end: number) => blob.slice(start, end) }
    for (const [source, chunk] of [1, 2, 3, 5, 64, 1 << 20].flatMap((size) => [
      [blob, size] as const,
      [sliceOnly, size] as const
    ])) {
      const texts: string[] = []
      const starts: number[] = []
      for await (const batch of readLines(source, chunk)) {
        texts.push(...batch.texts)
        starts.push(...batch.starts)
      }
      expect(texts).toEqual([HEADER, ...twenty, ''])
      texts.forEach((line, at) => {
        const start = starts[at] as number
        expect(bytes.subarray(start, start + Buffer.byteLength(line)).toString()).toBe(line)
      })
    }
  })
})

describe('RecordingIndexer', () => {
  const recorded = events(50)

  it('indexes a recording with a header, CRLF and blank lines; every view equals folding the events in memory', async () => {
    const text = `${HEADER}\r\n\r\n${lines(recorded).join('\r\n')}\r\n\n`
    const indexer = await index(text, 5)
    expect(indexer.progress).toMatchObject({
      events: 50,
      version: 2,
      done: true,
      failure: null,
      tornLastLine: false
    })
    const memory = new Timeline(recorded, createInitialState())
    for (const cursor of [0, 1, 2, 17, 49, 50, 3, 50, 0]) {
      const view = await indexer.viewAt(cursor)
      expect(view.cursor).toBe(cursor)
      expect(view.state).toEqual(memory.stateAt(cursor))
      expect(view.event).toEqual(memory.eventAt(cursor))
    }
  })

  it('opens a recording without a header as version 1', async () => {
    const indexer = await index(`${lines(recorded).join('\n')}\n`)
    expect(indexer.progress).toMatchObject({ events: 50, version: 1, failure: null })
  })

  it('refuses an unknown version by name, on line 1, with nothing indexed', async () => {
    const indexer = await index(
      `{"format":"session-inspector-recording","version":3}\n${lines(recorded).join('\n')}\n`
    )
    expect(indexer.progress).toMatchObject({ events: 0, done: true, failure: { line: 1 } })
    expect(indexer.progress.failure?.problem).toContain('version 3 is not supported')
  })

  it('reports a torn last line and keeps every complete event before it', async () => {
    const whole = lines(recorded)
    const torn = `${HEADER}\n${whole.slice(0, 49).join('\n')}\n${whole[49]!.slice(0, 30)}`
    const indexer = await index(torn, 11)
    expect(indexer.progress).toMatchObject({ events: 49, tornLastLine: true, failure: null, done: true })
    expect((await indexer.viewAt(49)).event).toEqual(recorded[48])
  })

  it('takes a last line without newline that is whole', async () => {
    const indexer = await index(`${lines(recorded).join('\n')}`)
    expect(indexer.progress).toMatchObject({ events: 50, tornLastLine: false })
    expect((await indexer.viewAt(50)).event).toEqual(recorded[49])
  })

  it('stops at the first bad line, names it, and keeps the events before it viewable', async () => {
    const broken = [HEADER, ...lines(recorded)]
    broken[21] = JSON.stringify({ ...recorded[20], seq: -1 })
    broken[30] = 'garbage'
    const indexer = await index(`${broken.join('\n')}\n`, 13)
    expect(indexer.progress).toMatchObject({ events: 20, done: true, failure: { line: 22 } })
    expect(indexer.progress.failure?.problem).toMatch(/not an inspection event: 'seq'/)
    expect((await indexer.viewAt(20)).state).toEqual(
      reduceEvents(createInitialState(), recorded.slice(0, 20))
    )
  })

  it('reports progress chunk by chunk while it reads', async () => {
    const file = await fileOf('progress.ndjson', `${lines(recorded).join('\n')}\n`)
    const seen: number[] = []
    await new RecordingIndexer(file, createInitialState(), 256).run((progress) =>
      seen.push(progress.bytesRead)
    )
    expect(seen.length).toBeGreaterThan(3)
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
    expect(seen[seen.length - 1]).toBe(file.size)
  })
})

describe('Checkpoints', () => {
  it('keeps at most MAX_CHECKPOINTS, spaced at least MIN_CHECKPOINT_EVERY apart, doubling the spacing as needed', () => {
    const checkpoints = new Checkpoints(createInitialState())
    const total = MIN_CHECKPOINT_EVERY * MAX_CHECKPOINTS * 5
    for (let applied = 1; applied <= total; applied++) {
      if (checkpoints.dueIn(applied - 1) === 1) checkpoints.offer(applied, createInitialState())
    }
    expect(checkpoints.count).toBeLessThanOrEqual(MAX_CHECKPOINTS)
    expect(checkpoints.every % MIN_CHECKPOINT_EVERY).toBe(0)
    expect(checkpoints.every).toBeGreaterThanOrEqual(MIN_CHECKPOINT_EVERY * 4)
    const { applied } = checkpoints.before(total - 1)
    expect(total - 1 - applied).toBeLessThan(checkpoints.every)
  })
})
