import { mkdtempSync, openAsBlob, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  LINES_IN_FLIGHT,
  receiveLines,
  sendLines,
  type LinePort
} from '../../src/renderer/src/recording/lineChannel'
import { RecordingIndexer } from '../../src/renderer/src/recording/recordingIndexer'
import { createInitialState } from '../../src/renderer/src/store'
import { readLineBlocks, readLines, type LineBlock } from '../../src/shared/lineReader'
import { recordingHeaderLine } from '../../src/shared/recordingFormat'

const dir = mkdtempSync(join(tmpdir(), 'si-line-channel-'))

async function fileOf(name: string, text: string): Promise<Blob> {
  const path = join(dir, name)
  writeFileSync(path, text)
  return openAsBlob(path)
}

/** A real MessageChannel, as the page makes between the reading worker and the indexing one. */
function channel(): [LinePort, LinePort] {
  const { port1, port2 } = new MessageChannel()
  return [port1 as unknown as LinePort, port2 as unknown as LinePort]
}

const delivery = (seq: number): string =>
  JSON.stringify({
    kind: 'agent_event_delivered',
    event_id: `evt_${seq}`,
    type: 'agent_thinking',
    run_id: 'run_1',
    owner_user_id: 'user_1',
    receiver_user_id: 'user_1',
    latency_ms: 1.5,
    seq,
    ts: 1_700_000_000_000 + seq
  })

describe('lines sent from a reading worker to the indexing one', () => {
  it('arrive as readLines reads them, CRLF, multi-byte characters and an unterminated last line included', async () => {
    const text = `${recordingHeaderLine()}\r\n{"a":"ünïcödé 漢字 😀"}\r\n\n${delivery(1)}\n${delivery(2)}`
    const file = await fileOf('lines.ndjson', text)
    for (const chunk of [1, 3, 17, 1 << 20]) {
      const [reading, indexing] = channel()
      void sendLines(readLineBlocks(file, chunk), reading)
      const received = []
      for await (const batch of receiveLines(indexing)) received.push(batch)
      const direct = []
      for await (const batch of readLines(file, chunk)) direct.push(batch)
      expect(received).toEqual(direct)
      expect(received.flatMap((batch) => batch.texts)).toEqual([
        recordingHeaderLine(),
        '{"a":"ünïcödé 漢字 😀"}',
        '',
        delivery(1),
        delivery(2)
      ])
    }
  })

  it('keeps at most LINES_IN_FLIGHT blocks ahead of what the indexer has taken', async () => {
    let made = 0
    async function* blocks(): AsyncGenerator<LineBlock> {
      for (let index = 0; index < 40; index++) {
        made += 1
        yield {
          bytes: new TextEncoder().encode(`${delivery(index)}\n`),
          starts: new Float64Array([index]),
          end: index + 1,
          unterminatedLast: false
        }
      }
    }
    const [reading, indexing] = channel()
    const sent = sendLines(blocks(), reading)
    let taken = 0
    for await (const batch of receiveLines(indexing)) {
      taken += 1
      expect(batch.starts[0]).toBe(taken - 1)
      // Slower than the reader: it may have made the next few, never more.
      await new Promise((resolve) => setTimeout(resolve, 2))
      expect(made - taken).toBeLessThanOrEqual(LINES_IN_FLIGHT + 1)
    }
    await sent
    expect(taken).toBe(40)
  })

  it('ends an empty file at once, with nothing indexed', async () => {
    const file = await fileOf('empty.ndjson', '')
    const [reading, indexing] = channel()
    void sendLines(readLineBlocks(file, 64), reading)
    const progress = await new RecordingIndexer(file, createInitialState()).run(
      () => {},
      receiveLines(indexing)
    )
    expect(progress).toMatchObject({ events: 0, done: true, failure: null, tornLastLine: false })
  })

  it('hands a failed read to the indexer as an error', async () => {
    async function* failing(): AsyncGenerator<LineBlock> {
      yield {
        bytes: new TextEncoder().encode(`${delivery(0)}\n`),
        starts: new Float64Array([0]),
        end: 10,
        unterminatedLast: false
      }
      throw new Error('the file could not be read')
    }
    const [reading, indexing] = channel()
    void sendLines(failing(), reading)
    const indexer = new RecordingIndexer(await fileOf('any.ndjson', ''), createInitialState())
    await expect(indexer.run(() => {}, receiveLines(indexing))).rejects.toThrow('the file could not be read')
  })

  it('feeds the indexer the same lines it reads itself: a bad line is named by the same number', async () => {
    const lines = [recordingHeaderLine(), ...Array.from({ length: 300 }, (_, seq) => delivery(seq))]
    lines[201] = '{"kind":"agent_event_delivered","seq":"x"}'
    const file = await fileOf('bad.ndjson', `${lines.join('\n')}\n`)
    const [reading, indexing] = channel()
    void sendLines(readLineBlocks(file, 1000), reading)
    const through = new RecordingIndexer(file, createInitialState())
    const progress = await through.run(() => {}, receiveLines(indexing))
    expect(progress).toMatchObject({ events: 200, done: true, failure: { line: 202 } })
    const direct = new RecordingIndexer(file, createInitialState(), 1000)
    expect(await direct.run()).toEqual(progress)
    expect((await through.viewAt(150)).state).toEqual((await direct.viewAt(150)).state)
  })
})
