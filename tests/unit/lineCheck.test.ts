import { mkdtempSync, openAsBlob, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { receiveLines, sendLines, type LinePort } from '../../src/renderer/src/recording/lineChannel'
import { checkLineBlocks } from '../../src/renderer/src/recording/lineCheck'
import { RecordingIndexer } from '../../src/renderer/src/recording/recordingIndexer'
import { createInitialState } from '../../src/renderer/src/store'
import { readLineBlocks } from '../../src/shared/lineReader'
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

describe('lines checked by the reading worker', () => {
  it('index exactly as lines the indexer checks itself: the same progress, failure, tear and view at every cursor', async () => {
    for (const [name, text] of Object.entries(recordings)) {
      const path = join(dir, 'r.ndjson')
      writeFileSync(path, text)
      const file = await openAsBlob(path)
      for (const chunk of [7, 100, 1 << 20]) {
        const itself = new RecordingIndexer(file, createInitialState(), chunk)
        const expected = await itself.run()
        const [reading, indexing] = channel()
        void sendLines(checkLineBlocks(readLineBlocks(file, chunk)), reading)
        const checked = new RecordingIndexer(file, createInitialState())
        expect(await checked.run(() => {}, receiveLines(indexing)), `${name}, ${chunk}`).toEqual(expected)
        for (let cursor = 0; cursor <= expected.events; cursor++) {
          expect((await checked.viewAt(cursor)).state, `${name} at ${cursor}`).toEqual(
            (await itself.viewAt(cursor)).state
          )
        }
      }
    }
  })

  it('ends with the block that holds the first bad line, cut just before it', async () => {
    const path = join(dir, 'bad.ndjson')
    writeFileSync(path, recordings['a line that is not JSON'] as string)
    const blocks = []
    for await (const block of checkLineBlocks(readLineBlocks(await openAsBlob(path), 1 << 20)))
      blocks.push(block)
    expect(blocks).toHaveLength(1)
    expect(new TextDecoder().decode(blocks[0]?.bytes)).toBe(`${[HEADER, ...events.slice(0, 9)].join('\n')}\n`)
    expect(blocks[0]?.starts).toHaveLength(10)
    expect(blocks[0]?.checked).toEqual({
      failure: { line: 11, problem: expect.stringMatching(/^not JSON/) },
      tornLastLine: false
    })
  })
})
