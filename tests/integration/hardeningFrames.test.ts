import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { AGENT_EVENT_TYPES } from '../../src/shared/agentEvents'
import { parseJson } from '../../src/shared/json'
import {
  clientFrameSchema,
  RUNTIME_MAX_PAYLOAD_BYTES,
  serverFrameSchema,
  type ServerFrame
} from '../../src/shared/runtimeFrames'
import { createFrameFuzzer } from '../helpers/frameFuzzer'
import { startHarness } from '../helpers/runtimeHarness'

type Harness = Awaited<ReturnType<typeof startHarness>>
let harness: Harness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

/** A raw client of the runtime port that keeps every server frame, for exact accounting of the replies. */
async function rawUser(url: string) {
  const socket = new WebSocket(url, { perMessageDeflate: false })
  const frames: ServerFrame[] = []
  let closed: { code: number; reason: string } | null = null
  socket.on('message', (data) => frames.push(serverFrameSchema.parse(JSON.parse(String(data)))))
  socket.on('close', (code, reason) => (closed = { code, reason: reason.toString() }))
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  return {
    socket,
    frames,
    of: <T extends ServerFrame['type']>(type: T) =>
      frames.filter((frame): frame is Extract<ServerFrame, { type: T }> => frame.type === type),
    get closed() {
      return closed
    }
  }
}

async function nextError(harness: Harness, user: Awaited<ReturnType<typeof rawUser>>, send: string) {
  const before = user.of('error').length
  user.socket.send(send)
  await harness.until('an error frame', () => user.of('error').length > before)
  return user.of('error')[before]!
}

describe('every inbound frame is validated; a bad one earns an error naming the problem', () => {
  it.each([
    ['malformed JSON', '{"type": "ping",', 'frame is not JSON'],
    [
      'a wrong type',
      '{"type":"ping","nonce":"7"}',
      "invalid frame at 'nonce': Invalid input: expected number"
    ],
    ['an unknown command', '{"type":"drop_tables"}', "invalid frame at 'type'"],
    ['a missing type', '{"nonce":1}', "invalid frame at 'type'"],
    ['an extra field', '{"type":"start_run","admin":true}', 'admin'],
    ['a huge number', '{"type":"ping","nonce":1e300}', "invalid frame at 'nonce': Too big"],
    ['an unsafe integer', '{"type":"ping","nonce":9007199254740993}', "invalid frame at 'nonce': Too big"],
    ['an overflowing number (Infinity)', '{"type":"ping","nonce":1e400}', 'received Infinity'],
    ['a fraction', '{"type":"ping","nonce":1.5}', "invalid frame at 'nonce': Invalid input: expected int"],
    ['an array at the root', '[1,2,3]', "invalid frame at '(root)'"],
    ['a scalar at the root', '42', "invalid frame at '(root)'"],
    ['a prototype key', '{"type":"ping","__proto__":{"polluted":true}}', '__proto__'],
    ['a too-long message', JSON.stringify({ type: 'start_run', message: 'x'.repeat(2001) }), "'message'"]
  ])('%s', async (_label, frame, problem) => {
    harness = await startHarness()
    const h = harness
    const [user, other] = await Promise.all([
      rawUser(h.runtime.userUrl('u1')),
      rawUser(h.runtime.userUrl('u2'))
    ])
    const error = await nextError(h, user, frame)
    expect(error).toMatchObject({ type: 'error', code: 'bad_frame' })
    expect(error.message).toContain(problem)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(h.events('frame_rejected')).toEqual([
      expect.objectContaining({ user_id: 'u1', problem: error.message })
    ])
    // The connection and every other one stay up and keep working.
    user.socket.send('{"type":"ping","nonce":1}')
    other.socket.send('{"type":"ping","nonce":2}')
    await h.until('both pongs', () => user.of('pong').length === 1 && other.of('pong').length === 1)
    expect([user.closed, other.closed]).toEqual([null, null])
    user.socket.close()
    other.socket.close()
  })

  it('deep nesting, up to what the payload bound allows, is refused by name without blowing the stack', async () => {
    harness = await startHarness()
    const h = harness
    const user = await rawUser(h.runtime.userUrl('deep'))
    const depth = RUNTIME_MAX_PAYLOAD_BYTES / 2 - 40
    const nested = `{"type":"start_run","message":${'['.repeat(depth)}${']'.repeat(depth)}}`
    expect((await nextError(h, user, nested)).message).toContain("invalid frame at 'message'")
    const rootNested = '['.repeat(RUNTIME_MAX_PAYLOAD_BYTES / 2) + ']'.repeat(RUNTIME_MAX_PAYLOAD_BYTES / 2)
    expect((await nextError(h, user, rootNested)).message).toContain("'(root)'")
    const unclosed = '{"a":'.repeat(10_000)
    expect((await nextError(h, user, unclosed)).message).toContain('frame is not JSON')
    expect(user.closed).toBeNull()
  })

  it('a text frame that is not UTF-8 closes only that socket, with 1007; the process and the others go on', async () => {
    harness = await startHarness()
    const h = harness
    const [bad, other] = await Promise.all([
      rawUser(h.runtime.userUrl('bad')),
      rawUser(h.runtime.userUrl('ok'))
    ])
    bad.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false })
    await h.until('the bad socket closed', () => bad.closed !== null)
    expect(bad.closed?.code).toBe(1007)
    other.socket.send('{"type":"start_run"}')
    await h.until('a full run', () => other.of('agent_event').length === 5)
    await h.until('the bad manager closed', () => h.runtime.factory.stats.closed === 1)
    other.socket.close()
  })

  it('an oversized frame closes only that socket with 1009, even while runs are in flight', async () => {
    harness = await startHarness({ stepDelayMs: 20 })
    const h = harness
    const [big, other] = await Promise.all([
      rawUser(h.runtime.userUrl('big')),
      rawUser(h.runtime.userUrl('ok'))
    ])
    other.socket.send('{"type":"start_run"}')
    big.socket.send('x'.repeat(RUNTIME_MAX_PAYLOAD_BYTES + 1))
    await h.until('the oversized socket closed', () => big.closed !== null)
    expect(big.closed?.code).toBe(1009)
    await h.until('the other run completes', () => other.of('agent_event').length === 5)
    expect(other.of('agent_event').map((frame) => frame.event.type)).toEqual([...AGENT_EVENT_TYPES])
    expect(other.closed).toBeNull()
    other.socket.close()
  })
})

describe('fuzzing the runtime port', () => {
  it('answers 5000 random and mutated frames one for one, then serves a normal run correctly', async () => {
    harness = await startHarness({ seed: 77 })
    const h = harness
    const [fuzzed, bystander] = await Promise.all([
      rawUser(h.runtime.userUrl('fuzzed')),
      rawUser(h.runtime.userUrl('bystander'))
    ])
    await h.until(
      'both welcomed',
      () => fuzzed.of('welcome').length === 1 && bystander.of('welcome').length === 1
    )
    const next = createFrameFuzzer(
      2024,
      [
        '{"type":"start_run"}',
        '{"type":"start_run","message":"hi"}',
        '{"type":"ping","nonce":42}',
        '{"type":"ping"}'
      ],
      ['type', 'nonce', 'message']
    )
    const expected = { error: 0, pong: 0, run_accepted: 0 }
    const started = Date.now()
    for (let index = 0; index < 5000; index++) {
      const frame = next()
      const parsed = parseJson(frame)
      const valid = parsed.ok ? clientFrameSchema.safeParse(parsed.value) : null
      if (!valid?.success) expected.error += 1
      else if (valid.data.type === 'ping') expected.pong += 1
      else expected.run_accepted += 1
      fuzzed.socket.send(frame)
      // Also binary frames now and then: refused as such, never parsed.
      if (index % 500 === 0) {
        fuzzed.socket.send(Buffer.from(frame), { binary: true })
        expected.error += 1
      }
    }
    await h.until(
      'one answer per frame',
      () =>
        fuzzed.of('error').length + fuzzed.of('pong').length + fuzzed.of('run_accepted').length ===
        expected.error + expected.pong + expected.run_accepted,
      20_000
    )
    expect({
      error: fuzzed.of('error').length,
      pong: fuzzed.of('pong').length,
      run_accepted: fuzzed.of('run_accepted').length
    }).toEqual(expected)
    expect(expected.error).toBeGreaterThan(3500)
    expect(fuzzed.of('error').every((frame) => frame.code === 'bad_frame')).toBe(true)
    expect(
      fuzzed
        .of('error')
        .every((frame) => /^(frame is not JSON|invalid frame at '[^']*': |binary frames)/.test(frame.message))
    ).toBe(true)
    expect(h.events('frame_rejected')).toHaveLength(expected.error)
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()

    // Afterwards: both sockets open, and a normal run reaches its own user only, in order.
    expect([fuzzed.closed, bystander.closed]).toEqual([null, null])
    await h.until('fuzz-started runs finish', () => h.events('run_completed').length >= expected.run_accepted)
    bystander.socket.send('{"type":"start_run"}')
    await h.until('the bystander run', () => bystander.of('agent_event').length === 5, 10_000)
    expect(bystander.of('agent_event').map((frame) => frame.event.type)).toEqual([...AGENT_EVENT_TYPES])
    expect(bystander.of('agent_event').every((frame) => frame.event.user_id === 'bystander')).toBe(true)
    const acceptedBefore = fuzzed.of('run_accepted').length
    fuzzed.socket.send('{"type":"start_run"}')
    await h.until('the run is accepted', () => fuzzed.of('run_accepted').length === acceptedBefore + 1)
    const runId = fuzzed.of('run_accepted')[acceptedBefore]!.run_id
    const ofRun = () => fuzzed.of('agent_event').filter((frame) => frame.event.run_id === runId)
    await h.until('the fuzzed user run', () => ofRun().length === 5)
    expect(ofRun().map((frame) => frame.event.type)).toEqual([...AGENT_EVENT_TYPES])
    expect(fuzzed.of('agent_event').every((frame) => frame.event.user_id === 'fuzzed')).toBe(true)
    fuzzed.socket.close()
    bystander.socket.close()
  })
})
