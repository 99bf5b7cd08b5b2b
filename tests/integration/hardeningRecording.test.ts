import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readRecording } from '../../src/main/runtime/inspection/recordingReader'
import { parseJson } from '../../src/shared/json'

const dir = mkdtempSync(join(tmpdir(), 'si-kill9-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Runs the busy recorder in its own process and SIGKILLs it once the file is large and still growing. */
async function recordThenKill(file: string): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/recordBusyLoad.ts', file], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal))
  )
  const deadline = Date.now() + 20_000
  const size = (): number => {
    try {
      return statSync(file).size
    } catch {
      return 0
    }
  }
  let last = 0
  while (!(size() > 512 * 1024 && size() > last)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL')
      throw new Error(`the recorder never got busy (file ${size()} bytes); its stderr: ${stderr}`)
    }
    last = size()
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  child.kill('SIGKILL')
  return exited
}

describe('a recording survives kill -9 of the recording process', () => {
  it('loads every complete event, in order, and reports a torn last line instead of failing', async () => {
    const file = join(dir, 'killed.ndjson')
    expect(await recordThenKill(file)).toBe('SIGKILL')
    const text = readFileSync(file, 'utf8')
    const lines = text.split('\n')
    const tail = lines.pop() ?? ''
    expect(lines[0]).toBe('{"format":"session-inspector-recording","version":2}')
    const complete = lines.length - 1 // the header is not an event
    expect(complete).toBeGreaterThan(1_000)

    const read = readRecording(text)
    if (!read.ok) throw new Error(`the killed recording did not load: line ${read.line}: ${read.problem}`)
    // A tail that is whole JSON (cut right before its newline) loads too; anything else is the torn line.
    const tailIsEvent = tail !== '' && parseJson(tail).ok
    expect(read.events).toHaveLength(complete + (tailIsEvent ? 1 : 0))
    expect(read.tornLastLine).toBe(tail !== '' && !tailIsEvent)
    expect(read.events.every((event, index) => event.seq === index)).toBe(true)
    expect(new Set(read.events.map((event) => event.kind))).toContain('agent_event_delivered')

    // Killed at any other byte of its last lines, the same file still loads everything before the cut.
    const wholeLines = text.slice(0, text.lastIndexOf('\n') + 1)
    const lastStart = wholeLines.lastIndexOf('\n', wholeLines.length - 2) + 1
    for (const cut of [lastStart + 1, lastStart + 17, wholeLines.length - 2]) {
      const torn = readRecording(wholeLines.slice(0, cut))
      expect(torn).toMatchObject({ ok: true, tornLastLine: true })
      expect(torn.ok && torn.events).toHaveLength(complete - 1)
    }
  }, 30_000)

  it('importing validates every line and names the first bad one', () => {
    const text = readFileSync(join(dir, 'killed.ndjson'), 'utf8')
    const lines = text.slice(0, text.lastIndexOf('\n')).split('\n')
    const corrupt = [...lines]
    corrupt[500] = JSON.stringify({ ...(JSON.parse(corrupt[500]!) as object), kind: 'rm_rf' })
    corrupt[800] = '{"half": '
    expect(readRecording(`${corrupt.join('\n')}\n`)).toMatchObject({
      ok: false,
      line: 501,
      eventsBefore: 499 // line 1 is the header
    })
    const notJson = [...lines]
    notJson[42] = '{"seq": 42,'
    const read = readRecording(`${notJson.join('\n')}\n`)
    expect(read).toMatchObject({ ok: false, line: 43, problem: expect.stringContaining('not JSON') })
  })
})
