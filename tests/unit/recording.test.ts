import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { readRecording } from '../../src/main/runtime/inspection/recordingReader'
import { Recorder } from '../../src/main/runtime/inspection/recorder'
import { recordingHeaderLine } from '../../src/shared/recordingFormat'

const dir = mkdtempSync(join(tmpdir(), 'si-recording-'))

function busWithEvents(count: number): InspectionBus {
  const bus = new InspectionBus()
  for (let index = 0; index < count; index++)
    bus.emit({ kind: 'warning', code: 'w', message: `warning ${index}` })
  return bus
}

describe('Recorder and readRecording', () => {
  it('round-trips the stream as NDJSON, history included', async () => {
    const bus = busWithEvents(3)
    const path = join(dir, 'round.ndjson')
    const recorder = new Recorder(bus, path, { includeHistory: true })
    bus.emit({ kind: 'phase_transition', from: null, to: 'idle' })
    await recorder.close()
    const read = readRecording(readFileSync(path, 'utf8'))
    expect(read.ok && read.events.map((event) => event.seq)).toEqual([0, 1, 2, 3])
    expect(read.ok && read.tornLastLine).toBe(false)
    expect(readFileSync(path, 'utf8').split('\n')[0]).toBe(
      '{"format":"session-inspector-recording","version":2}'
    )
    expect(read.ok && read.version).toBe(2)
  })

  it('counts what it has recorded once every line is on disk', async () => {
    const bus = busWithEvents(2)
    const path = join(dir, 'settled.ndjson')
    const recorder = new Recorder(bus, path, { includeHistory: true })
    bus.emit({ kind: 'warning', code: 'w', message: 'ü' })
    const soFar = await recorder.settled()
    expect(soFar.events).toBe(3)
    expect(readFileSync(path).length).toBe(soFar.bytes)
    await recorder.close()
  })

  it('opens a recording without a header (version 1) and refuses an unknown version by name', () => {
    const lines = busWithEvents(2)
      .snapshot()
      .map((event) => JSON.stringify(event))
    expect(readRecording(`${lines.join('\n')}\n`)).toMatchObject({ ok: true, version: 1 })
    const future = readRecording(`{"format":"session-inspector-recording","version":9}\n${lines.join('\n')}\n`)
    expect(future).toMatchObject({ ok: false, line: 1, eventsBefore: 0 })
    expect(!future.ok && future.problem).toContain('version 9 is not supported')
  })

  it('records every event after it starts, once and in order, across turns and ring batches, whatever the script', async () => {
    const bus = busWithEvents(5)
    const path = join(dir, 'flood.ndjson')
    const recorder = new Recorder(bus, path)
    const expected: string[] = []
    bus.subscribeLines((line) => expected.push(line))
    for (let turn = 0; turn < 20; turn++) {
      for (let index = 0; index < 37 * turn; index++)
        bus.emit({ kind: 'warning', code: 'w', message: `turn ${turn} ünïcödé 漢 😀 #${index}` })
      await new Promise((resolve) => setImmediate(resolve))
    }
    bus.emit({ kind: 'warning', code: 'w', message: 'emitted just before close' })
    await recorder.close()
    expect(readFileSync(path, 'utf8')).toBe(`${recordingHeaderLine()}\n${expected.join('\n')}\n`)
  })

  it('records an event too long for the history, which only the history drops', async () => {
    const bus = new InspectionBus({ historyBytes: 4096 })
    const path = join(dir, 'long.ndjson')
    const recorder = new Recorder(bus, path)
    bus.emit({ kind: 'warning', code: 'w', message: 'before' })
    bus.emit({ kind: 'warning', code: 'w', message: 'x'.repeat(10_000) })
    bus.emit({ kind: 'warning', code: 'w', message: 'after' })
    await recorder.close()
    const read = readRecording(readFileSync(path, 'utf8'))
    expect(read.ok && read.events.map((event) => event.seq)).toEqual([0, 1, 2])
    expect(bus.snapshot().map((event) => event.seq)).toEqual([2])
  })

  it('loads every complete event of a torn recording and reports the tear', () => {
    const bus = busWithEvents(4)
    const lines = bus.snapshot().map((event) => JSON.stringify(event))
    const torn = `${lines.slice(0, 3).join('\n')}\n${lines[3]!.slice(0, 20)}`
    const read = readRecording(torn)
    expect(read).toMatchObject({ ok: true, tornLastLine: true })
    expect(read.ok && read.events).toHaveLength(3)
  })

  it('names the first bad line of a corrupted recording', () => {
    const lines = busWithEvents(3)
      .snapshot()
      .map((event) => JSON.stringify(event))
    lines[1] = '{"seq":1,"ts":2,"kind":"no_such_kind"}'
    const read = readRecording(`${lines.join('\n')}\n`)
    expect(read).toMatchObject({ ok: false, line: 2, eventsBefore: 1 })
    expect(!read.ok && read.problem).toContain('not an inspection event')
    writeFileSync(join(dir, 'bad.ndjson'), 'not json\n')
    expect(readRecording(readFileSync(join(dir, 'bad.ndjson'), 'utf8'))).toMatchObject({ ok: false, line: 1 })
  })
})
