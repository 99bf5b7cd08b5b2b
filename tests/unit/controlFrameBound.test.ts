import { describe, expect, it } from 'vitest'
import { CONTROL_MAX_PAYLOAD_BYTES, controlRequestSchema } from '../../src/shared/controlFrames'
import { TARGET_TEXT_MAX_CHARS } from '../../src/shared/inspectorApi'

describe('the control channel frame bound', () => {
  it('is at most 1 MiB and still takes the largest command: run_target at its bounds, written as JSON escapes it worst', () => {
    expect(CONTROL_MAX_PAYLOAD_BYTES).toBeLessThanOrEqual(1024 * 1024)
    // A control character and a lone surrogate both become six bytes (\u0001, \ud800): the most a character costs.
    const worst = '\u0001\ud800'.repeat(TARGET_TEXT_MAX_CHARS / 2)
    const request = {
      id: Number.MAX_SAFE_INTEGER,
      command: { cmd: 'run_target', target: worst, users: 20, runs: 5, url: '\u0001'.repeat(2000) }
    }
    expect(controlRequestSchema.safeParse(request).success).toBe(true)
    expect(Buffer.byteLength(JSON.stringify(request))).toBeLessThanOrEqual(CONTROL_MAX_PAYLOAD_BYTES)
    const tooLong = { ...request, command: { ...request.command, target: `${worst}x` } }
    expect(controlRequestSchema.safeParse(tooLong).success).toBe(false)
  })
})
