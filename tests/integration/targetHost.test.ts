import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { RuntimeHost } from '../../src/main/host/runtimeHost'
import { readRecording } from '../../src/main/runtime/inspection/recordingReader'
import { startSampleBackend } from '../fixtures/sampleBackend/sampleBackend'
import { EXAMPLE_PATH } from '../helpers/targetHarness'

describe('run_target through the InspectorApi', () => {
  it('answers with the report, the CLI exit code and the run as a recording; a bad file names the problem', async () => {
    const backend = await startSampleBackend({ bug: 'drop_tool_completed' })
    const host = await RuntimeHost.create({ stepDelayMs: 0 })
    try {
      const reply = await host.handle({
        cmd: 'run_target',
        target: readFileSync(EXAMPLE_PATH, 'utf8'),
        users: 2,
        runs: 1,
        url: `${backend.url}?room={{room}}`
      })
      expect(reply.ok).toBe(true)
      const result = (reply.ok ? reply.result : null) as {
        report: { runsWithMissingEvents: number }
        exitCode: number
        ndjson: string
      }
      expect(result.exitCode).toBe(3)
      expect(result.report.runsWithMissingEvents).toBe(2)
      const read = readRecording(result.ndjson)
      expect(read.ok && read.events.filter((event) => event.kind === 'events_missing')).toHaveLength(2)

      const bad = await host.handle({ cmd: 'run_target', target: '{"url": "ws://x"}', users: 1, runs: 1 })
      expect(bad).toEqual({
        ok: false,
        error: {
          message:
            'target file: start: required, but missing: give start (what a user sends) or run (the steps of a run) (see docs/target-mode.md)',
          path: 'target'
        }
      })
    } finally {
      await host.close()
      await backend.close()
    }
  })
})
