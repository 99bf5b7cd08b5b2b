import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Recorder } from '../../src/main/runtime/inspection/recorder'
import { Runtime } from '../../src/main/runtime/runtime'
import { InProcessUserPool } from '../../src/main/runtime/users/inProcessUserPool'

const USERS = 100
const RUNS = 5

/** A real session's recording lines: 100 users, 5 runs each, recorded by a real Recorder. */
async function recordRealSession(): Promise<{ header: string; lines: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'si-bench-real-'))
  const path = join(dir, 'real.ndjson')
  const runtime = await Runtime.start({ seed: 13, missingGraceMs: 0 })
  const recorder = new Recorder(runtime.bus, path, { includeHistory: true })
  const pool = new InProcessUserPool(runtime.auditor.recordDelivery.bind(runtime.auditor))
  const users = Array.from({ length: USERS }, () => runtime.ids.userId())
  await pool.connect(users.map((userId) => ({ userId, url: runtime.userUrl(userId) })))
  const done = new Promise<void>((resolve) => {
    let completed = 0
    const stop = runtime.bus.subscribe((event) => {
      if (event.kind === 'run_completed' && ++completed === USERS * RUNS) {
        stop()
        resolve()
      }
    })
  })
  pool.startRuns(RUNS)
  await done
  await pool.close()
  await recorder.close()
  await runtime.close()
  const [header, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n')
  rmSync(dir, { recursive: true, force: true })
  return { header: header ?? '', lines }
}

/**
 * A recording of at least `bytes`, made once and kept in the temp dir for later runs: a real session's lines over
 * and over, each copy's seqs moved on so the stream stays in order (as a long session's would be).
 */
export async function benchRecording(
  bytes: number
): Promise<{ path: string; bytes: number; events: number }> {
  const path = join(tmpdir(), `si-bench-recording-${Math.round(bytes / 1e6)}MB.ndjson`)
  const countPath = `${path}.events`
  if (existsSync(path) && existsSync(countPath)) {
    return { path, bytes: statSync(path).size, events: Number(readFileSync(countPath, 'utf8')) }
  }
  const { header, lines } = await recordRealSession()
  const partial = `${path}.partial`
  const out = createWriteStream(partial)
  out.write(`${header}\n`)
  let written = 0
  let seq = 0
  while (written < bytes) {
    const block = lines.map((line) => line.replace(/"seq":\d+/, `"seq":${seq++}`)).join('\n') + '\n'
    written += Buffer.byteLength(block)
    if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve()))
  )
  renameSync(partial, path)
  writeFileSync(countPath, String(seq))
  return { path, bytes: statSync(path).size, events: seq }
}
