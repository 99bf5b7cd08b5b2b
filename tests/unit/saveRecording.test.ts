import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { answerSaveRecording } from '../../src/main/host/ipc/saveRecording'
import type { InspectorHost } from '../../src/main/host/inspectorHost'

const dir = mkdtempSync(join(tmpdir(), 'si-save-recording-'))
const spool = join(dir, 'spool.ndjson')
const text = '{"format":"session-inspector-recording","version":2}\n{"a":1}\n{"b":2}\n'
writeFileSync(spool, text)

/** A host whose session recording is a real file; the rest of the API is never reached here. */
const host: InspectorHost = {
  handle: () => Promise.reject(new Error('not used')),
  helloText: () => '{}',
  subscribe: () => () => {},
  exportRecording: () => Promise.resolve({ path: spool, events: 2, bytes: Buffer.byteLength(text) })
}

describe('the save-recording IPC handler (electron-free half)', () => {
  it('copies the recording, cut at the bytes recording_export counted, where the dialog says', async () => {
    const destination = join(dir, 'saved.ndjson')
    const cut = text.indexOf('{"b"')
    const reply = await answerSaveRecording(host, cut, true, () => Promise.resolve(destination))
    expect(reply).toEqual({ ok: true, result: { path: destination, bytes: cut } })
    expect(readFileSync(destination, 'utf8')).toBe(text.slice(0, cut))
  })

  it('refuses another sender and a bad byte count without asking where, and says when cancelled', async () => {
    const never = (): Promise<string> => Promise.reject(new Error('the dialog must not open'))
    expect(await answerSaveRecording(host, 10, false, never)).toMatchObject({ ok: false })
    expect(await answerSaveRecording(host, -1, true, never)).toMatchObject({
      ok: false,
      error: { path: 'bytes' }
    })
    expect(await answerSaveRecording(host, '10', true, never)).toMatchObject({
      ok: false,
      error: { path: 'bytes' }
    })
    expect(await answerSaveRecording(host, 10, true, () => Promise.resolve(null))).toMatchObject({
      ok: false,
      error: { message: 'Cancelled.' }
    })
  })
})
