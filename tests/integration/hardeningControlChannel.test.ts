import { describe, expect, it } from 'vitest'
import { controlRequestSchema, type ControlServerFrame } from '../../src/shared/controlFrames'
import type { InspectionEvent } from '../../src/shared/inspection'
import { parseJson } from '../../src/shared/json'
import { createFrameFuzzer } from '../helpers/frameFuzzer'
import { serveRuntimeHost } from './webSupport/servedRuntimeHost'
import { connect, type ControlClient } from './webSupport/wsClient'

/** The web-mode control channel in front of a real runtime host, as `serve` runs it. */
const served = serveRuntimeHost()

async function open(): Promise<ControlClient> {
  const outcome = await connect(`ws://127.0.0.1:${served.web.port}/control?token=${served.web.token}`, {
    origin: `http://127.0.0.1:${served.web.port}`
  })
  if (outcome.kind !== 'open')
    throw new Error(`expected an open control socket, got ${JSON.stringify(outcome)}`)
  return outcome.client
}

const isReply = (frame: ControlServerFrame): frame is Extract<ControlServerFrame, { id: unknown }> =>
  'id' in frame

function pushedEvents(frames: ControlServerFrame[]): InspectionEvent[] {
  return frames.flatMap((frame) => ('push' in frame && frame.push.type === 'events' ? frame.push.events : []))
}

/** Every frame the client gets, kept in arrival order (ControlClient removes the ones it hands out). */
function record(client: ControlClient): ControlServerFrame[] {
  const all: ControlServerFrame[] = []
  client.socket.on('message', (data) => all.push(JSON.parse(String(data)) as ControlServerFrame))
  return all
}

describe('control channel with a real runtime host: bad frames', () => {
  it.each([
    ['malformed JSON', '{"id":1,', 'not JSON'],
    ['a wrong type', '{"id":1,"command":{"cmd":"add_users","count":"2"}}', 'command.count'],
    ['an unknown command', '{"id":1,"command":{"cmd":"shutdown"}}', 'command.cmd'],
    ['a missing field', '{"id":1,"command":{"cmd":"remove_user"}}', 'command.user_id'],
    ['an extra field', '{"id":1,"command":{"cmd":"hello","admin":true}}', 'admin'],
    ['a huge number', '{"id":1,"command":{"cmd":"start_runs","runs":1e300}}', 'Too big'],
    ['an overflowing number', '{"id":1e400,"command":{"cmd":"hello"}}', 'Infinity'],
    [
      'deep nesting',
      `{"id":1,"command":{"cmd":"hello","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`,
      'Unrecognized key'
    ],
    ['an unsafe id', '{"id":9007199254740993,"command":{"cmd":"hello"}}', 'Too big']
  ])(
    '%s: an error reply naming the problem, and the channel keeps working',
    async (_label, frame, problem) => {
      const client = await open()
      client.sendRaw(frame)
      const reply = await client.next(isReply)
      expect(reply).toMatchObject({ reply: { ok: false } })
      expect(JSON.stringify(reply)).toContain(problem)
      client.sendRaw(JSON.stringify({ id: 2, command: { cmd: 'recording_export' } }))
      expect(await client.reply(2)).toMatchObject({ reply: { ok: true } })
      client.close()
    }
  )

  it('recordings no longer travel in frames: recording_open is refused and export replies with counts only', async () => {
    const client = await open()
    client.sendRaw(JSON.stringify({ id: 1, command: { cmd: 'recording_open', ndjson: '{}\n' } }))
    expect(await client.reply(1)).toMatchObject({ reply: { ok: false, error: { path: 'command.cmd' } } })
    client.sendRaw(JSON.stringify({ id: 2, command: { cmd: 'recording_export' } }))
    const exported = await client.reply(2)
    expect(exported).toMatchObject({
      reply: { ok: true, result: { events: expect.any(Number), bytes: expect.any(Number) } }
    })
    client.close()
  })
})

describe('fuzzing the control channel of a real runtime host', () => {
  it('answers 3000 random and mutated frames one for one, then serves a normal run correctly', async () => {
    const fuzzed = await open()
    const bystander = await open()
    const fuzzedFrames = record(fuzzed)
    const bystanderFrames = record(bystander)
    const next = createFrameFuzzer(
      7,
      [
        '{"id":1,"command":{"cmd":"recording_export"}}',
        '{"id":2,"command":{"cmd":"remove_user","user_id":"nobody"}}',
        '{"id":3,"command":{"cmd":"set_user_slow","user_id":"nobody","slow":true}}',
        '{"id":4,"command":{"cmd":"start_runs","runs":1}}',
        '{"id":5,"command":{"cmd":"list_scenarios"}}'
      ],
      ['id', 'command', 'cmd', 'count', 'runs', 'user_id', 'slow']
    )
    let valid = 0
    let sentFrames = 0
    const started = Date.now()
    for (let index = 0; index < 3000; index++) {
      const frame = next()
      const parsed = parseJson(frame)
      const request = parsed.ok ? controlRequestSchema.safeParse(parsed.value) : null
      // Mutations must not wander into commands that rebuild the runtime or connect users.
      if (
        request?.success &&
        ![
          'recording_export',
          'remove_user',
          'set_user_slow',
          'start_runs',
          'list_scenarios',
          'hello'
        ].includes(request.data.command.cmd)
      ) {
        continue
      }
      if (request?.success) valid += 1
      sentFrames += 1
      fuzzed.sendRaw(frame)
    }
    expect(sentFrames).toBeGreaterThan(2900)
    const answered = () => fuzzedFrames.filter(isReply).length
    await expect.poll(answered, { timeout: 20_000, interval: 20 }).toBe(sentFrames)
    const replies = fuzzedFrames.filter(isReply)
    const refused = replies.filter((frame) => !frame.reply.ok)
    expect(refused.length).toBeGreaterThan(2000)
    expect(
      refused.every(
        (frame) =>
          !frame.reply.ok && /^(Invalid control frame|no simulated user)/.test(frame.reply.error.message)
      )
    ).toBe(true)
    expect(replies.length - refused.length).toBeLessThanOrEqual(valid)
    expect(Date.now() - started).toBeLessThan(20_000)

    // Afterwards both sockets are up, and a normal run is served to its own user, in order.
    fuzzed.sendRaw(JSON.stringify({ id: 10_001, command: { cmd: 'add_users', count: 2 } }))
    const added = await fuzzed.reply(10_001)
    const users = (added as { reply: { result: { connected: Array<{ user_id: string }> } } }).reply.result
      .connected
    expect(users).toHaveLength(2)
    bystander.sendRaw(JSON.stringify({ id: 1, command: { cmd: 'start_runs', runs: 1 } }))
    expect(await bystander.reply(1)).toMatchObject({ reply: { ok: true } })
    const ids = new Set(users.map((user) => user.user_id))
    const delivered = () =>
      pushedEvents(bystanderFrames).filter(
        (event) => event.kind === 'agent_event_delivered' && ids.has(event.receiver_user_id)
      )
    await expect.poll(() => delivered().length, { timeout: 10_000 }).toBe(10)
    for (const event of delivered()) {
      expect(event.kind === 'agent_event_delivered' && event.owner_user_id === event.receiver_user_id).toBe(
        true
      )
    }
    expect(pushedEvents(bystanderFrames).filter((event) => event.kind === 'isolation_violation')).toEqual([])
    await expect
      .poll(() => pushedEvents(fuzzedFrames).filter((event) => event.kind === 'run_completed').length)
      .toBeGreaterThanOrEqual(2)
    fuzzed.close()
    bystander.close()
  })
})
