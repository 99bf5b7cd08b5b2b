import { createWriteStream, mkdtempSync, openAsBlob, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Recorder } from '../../src/main/runtime/inspection/recorder'
import { Runtime } from '../../src/main/runtime/runtime'
import { InProcessUserPool } from '../../src/main/runtime/users/inProcessUserPool'
import { RecordingIndexer } from '../../src/renderer/src/recording/recordingIndexer'
import { createInitialState } from '../../src/renderer/src/store'

const dir = mkdtempSync(join(tmpdir(), 'si-large-recording-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A real runtime's recording: users connect, runs complete, every event recorded by a real Recorder. */
async function recordRealSession(path: string): Promise<string[]> {
  const runtime = await Runtime.start({ seed: 5, missingGraceMs: 0 })
  const recorder = new Recorder(runtime.bus, path, { includeHistory: true })
  const pool = new InProcessUserPool(runtime.auditor.recordDelivery.bind(runtime.auditor))
  const users = Array.from({ length: 10 }, () => runtime.ids.userId())
  await pool.connect(users.map((userId) => ({ userId, url: runtime.userUrl(userId) })))
  pool.startRuns(20)
  // Each run ends with run_completed: wait for all 200 rather than for a while.
  await new Promise<void>((resolve) => {
    let completed = 0
    const stop = runtime.bus.subscribe((event) => {
      if (event.kind === 'run_completed' && ++completed === 200) {
        stop()
        resolve()
      }
    })
  })
  await pool.close()
  await recorder.close()
  await runtime.close()
  return readFileSync(path, 'utf8').trimEnd().split('\n')
}

describe('a recording over 64 MiB (the old frame cap) with a bad line in the middle', () => {
  it('opens up to the bad line, names it, and shows the events before it', async () => {
    const [header, ...real] = await recordRealSession(join(dir, 'real.ndjson'))
    expect(header).toBe('{"format":"session-inspector-recording","version":2}')
    expect(real.length).toBeGreaterThan(2000)

    // The real lines over and over, seqs moved on so the stream stays in order, until past 64 MiB.
    const path = join(dir, 'large.ndjson')
    const out = createWriteStream(path)
    out.write(`${header}\n`)
    let seq = 0
    let bytes = 0
    let lineNumber = 1
    let badLine = 0
    const target = 66 * 1024 * 1024
    while (bytes < target) {
      const block: string[] = []
      for (const line of real) {
        block.push(line.replace(/"seq":\d+/, `"seq":${seq++}`))
        lineNumber += 1
        if (badLine === 0 && bytes > target / 2) {
          badLine = lineNumber + 1
          block.push('{"kind":"agent_event_delivered","seq":"not a number"}')
          lineNumber += 1
        }
      }
      const text = `${block.join('\n')}\n`
      bytes += Buffer.byteLength(text)
      out.write(text)
    }
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve()))
    )
    expect(statSync(path).size).toBeGreaterThan(64 * 1024 * 1024)

    const indexer = new RecordingIndexer(await openAsBlob(path), createInitialState())
    const progress = await indexer.run()
    const before = badLine - 2 // the header and the bad line itself
    expect(progress.failure?.line).toBe(badLine)
    expect(progress.failure?.problem).toMatch(/^not an inspection event: 'seq'/)
    expect(progress).toMatchObject({ events: before, done: true, tornLastLine: false })
    expect(indexer.checkpointCount).toBeLessThanOrEqual(256)

    const end = await indexer.viewAt(before)
    expect(end.state.eventCount).toBe(before)
    expect(end.event?.seq).toBe(before - 1)
    const middle = await indexer.viewAt(Math.floor(before / 3))
    expect(middle.state.eventCount).toBe(Math.floor(before / 3))
    expect(middle.event?.seq).toBe(Math.floor(before / 3) - 1)
  }, 60_000)
})
