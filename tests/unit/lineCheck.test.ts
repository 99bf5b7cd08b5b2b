import { mkdtempSync, openAsBlob, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { receiveLines, sendLines, type LinePort } from '../../src/renderer/src/recording/lineChannel'
import { LineChecker } from '../../src/renderer/src/recording/lineCheck'
import { RecordingIndexer } from '../../src/renderer/src/recording/recordingIndexer'
import { createInitialState } from '../../src/renderer/src/store'
import { readLineBlocks, splitBlock, type LineBatch, type LineBlock } from '../../src/shared/lineReader'
import { recordingHeaderLine } from '../../src/shared/recordingFormat'

const dir = mkdtempSync(join(tmpdir(), 'si-line-check-'))
const HEADER = recordingHeaderLine()

const delivery = (seq: number): string =>
  JSON.stringify({
    kind: 'agent_event_delivered',
    event_id: `evt_${seq}`,
    type: 'agent_thinking',
    run_id: `run_${seq % 3}`,
    owner_user_id: `user_${seq % 2}`,
    receiver_user_id: 'user_0',
    latency_ms: seq / 4,
    seq,
    ts: 1_700_000_000_000 + seq
  })
const warning = (seq: number): string =>
  JSON.stringify({
    kind: 'warning',
    code: 'w',
    message: `ünïcödé 漢字 😀 #${seq}`,
    seq,
    ts: 1_700_000_000_000 + seq
  })
const events = Array.from({ length: 60 }, (_, seq) => (seq % 4 === 0 ? warning(seq) : delivery(seq)))

/** Recordings that end every way one can: whole, cut by a bad line (not JSON, or not an event), torn, refused. */
const recordings: Record<string, string> = {
  'header, CRLF and blank lines': `${HEADER}\r\n\r\n${events.join('\r\n')}\r\n\n`,
  'no header (version 1), no last newline': events.join('\n'),
  'a line that is not an event': `${HEADER}\n${[...events.slice(0, 33), '{"kind":"warning","seq":"x"}', ...events.slice(33)].join('\n')}\n`,
  'a line that is not JSON': `${[HEADER, ...events.slice(0, 9), 'garbage', ...events.slice(9)].join('\n')}\n`,
  'a bad first line': `garbage\n${events.join('\n')}\n`,
  'a torn last line': `${HEADER}\n${events.slice(0, 59).join('\n')}\n${(events[59] as string).slice(0, 30)}`,
  'an unknown version': `{"format":"session-inspector-recording","version":3}\n${events.join('\n')}\n`,
  'nothing at all': ''
}

function channel(): [LinePort, LinePort] {
  const { port1, port2 } = new MessageChannel()
  return [port1 as unknown as LinePort, port2 as unknown as LinePort]
}

/** The blocks as the reader sends them when it checks the n-th one only if `check(n)`. */
async function* checkedWhen(
  blocks: AsyncIterable<LineBlock>,
  check: (n: number) => boolean
): AsyncGenerator<LineBatch> {
  const checker = new LineChecker()
  let n = 0
  for await (const block of blocks) {
    yield splitBlock(checker.pass(block, check(n++)))
    if (checker.done) return
  }
}

const policies: Record<string, (n: number) => boolean> = {
  every: () => true,
  none: () => false,
  'every other': (n) => n % 2 === 1,
  'every third': (n) => n % 3 === 0
}

describe('lines checked by the reading worker', () => {
  it('index exactly as lines the indexer checks itself, whichever blocks the reader checked: the same progress, failure, tear and view at every cursor', async () => {
    for (const [name, text] of Object.entries(recordings)) {
      const path = join(dir, 'r.ndjson')
      writeFileSync(path, text)
      const file = await openAsBlob(path)
      for (const chunk of [7, 100, 1 << 20]) {
        const itself = new RecordingIndexer(file, createInitialState(), chunk)
        const expected = await itself.run()
        const views = []
        for (let cursor = 0; cursor <= expected.events; cursor++)
          views.push((await itself.viewAt(cursor)).state)
        for (const [policy, check] of Object.entries(policies)) {
          const checked = new RecordingIndexer(file, createInitialState())
          const progress = await checked.run(() => {}, checkedWhen(readLineBlocks(file, chunk), check))
          expect(progress, `${name}, ${chunk} bytes, ${policy}`).toEqual(expected)
          for (let cursor = 0; cursor <= expected.events; cursor++) {
            expect((await checked.viewAt(cursor)).state, `${name} at ${cursor}, ${policy}`).toEqual(
              views[cursor]
            )
          }
        }
      }
    }
  })

  it('checks a block read while the indexer is behind, and sends nothing after the block with the first bad line', async () => {
    const path = join(dir, 'bad.ndjson')
    writeFileSync(path, recordings['a line that is not an event'] as string)
    const file = await openAsBlob(path)
    const [reading, indexing] = channel()
    void sendLines(readLineBlocks(file, 64), reading, new LineChecker())
    const received: LineBatch[] = []
    for await (const batch of receiveLines(indexing)) {
      received.push(batch)
      // Slower than the reader, so it falls behind and the reader checks what it reads meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    expect(received.filter((batch) => batch.checked !== undefined).length).toBeGreaterThan(
      received.length / 2
    )
    const last = received[received.length - 1]
    expect(last?.checked).toEqual({
      failure: { line: 35, problem: expect.stringMatching(/^not an inspection event/) },
      tornLastLine: false
    })
    expect(received.flatMap((batch) => batch.texts)).toEqual([HEADER, ...events.slice(0, 33)])
  })

  it('a block holding the first bad line comes back cut just before it', async () => {
    const path = join(dir, 'bad.ndjson')
    writeFileSync(path, recordings['a line that is not JSON'] as string)
    const checker = new LineChecker()
    const blocks = []
    for await (const block of readLineBlocks(await openAsBlob(path), 1 << 20))
      blocks.push(checker.pass(block, true))
    expect(checker.done).toBe(true)
    expect(new TextDecoder().decode(blocks[0]?.bytes)).toBe(`${[HEADER, ...events.slice(0, 9)].join('\n')}\n`)
    expect(blocks[0]?.starts).toHaveLength(10)
    expect(blocks[0]?.checked).toEqual({
      failure: { line: 11, problem: expect.stringMatching(/^not JSON/) },
      tornLastLine: false
    })
  })
})
