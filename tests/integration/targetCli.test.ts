import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readRecording } from '../../src/main/runtime/inspection/recordingReader'
import { startSampleBackend, type SampleBackend } from '../fixtures/sampleBackend/sampleBackend'
import { EXAMPLE_PATH } from '../helpers/targetHarness'
import { runCli as cli } from '../helpers/runCli'

describe('session-inspector target', () => {
  let backend: SampleBackend
  beforeAll(async () => {
    backend = await startSampleBackend({ bug: 'broadcast' })
  })
  afterAll(() => backend.close())

  it('exits 1 on a leak, --json names both users of every leak, --record writes a replayable stream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'si-target-'))
    const record = join(dir, 'target.ndjson')
    const result = await cli([
      'target',
      EXAMPLE_PATH,
      '--users',
      '2',
      '--runs',
      '1',
      '--url',
      `${backend.url}?room={{room}}`,
      '--json',
      '--record',
      record
    ])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout) as {
      leaks: Array<{ from: string; to: string }>
      exitCode: number
    }
    expect(report.leaks.map((leak) => `${leak.from}->${leak.to}`)).toEqual([
      'user_1->user_2',
      'user_2->user_1'
    ])
    expect(report.exitCode).toBe(1)
    const read = readRecording(readFileSync(record, 'utf8'))
    expect(read.ok && read.events.filter((event) => event.kind === 'isolation_violation')).toHaveLength(10)
  })

  it('exits 2 naming the field of a bad target file, before connecting anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'si-target-'))
    const bad = join(dir, 'bad.target.json')
    writeFileSync(bad, JSON.stringify({ url: 'ws://127.0.0.1:1/ws', start: { text: 'hi {{usr}}' } }))
    const result = await cli(['target', bad, '--users', '1', '--runs', '1'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('start: no template uses {{canary}}')
  })
})
