import { describe, expect, it } from 'vitest'
import { AGENT_EVENT_TYPES, agentEventSchema, stepOf } from '../../src/shared/agentEvents'
import { inspectionEventSchema } from '../../src/shared/inspection'
import {
  ConstantPayload,
  RunSerializer,
  SerializerScratch
} from '../../src/main/runtime/agents/runSerializer'

const shared = new ConstantPayload({ thought: 'constant "payload"', nested: { list: [1, 'two'] } })

/** Ids that need escaping: quotes, backslashes, control characters, astral characters, a lone surrogate. */
const AWKWARD = ['usr_plain', 'usr_"quoted"', 'usr_back\\slash', 'usr_\n\t\u0001', 'usr_😀', 'usr_\ud800']

describe('RunSerializer', () => {
  it.each(AWKWARD)('writes exactly the UTF-8 of what JSON.stringify writes, for id %j', (userId) => {
    const ids = { user_id: userId, thread_id: `thr_${userId}`, run_id: `run_${userId}_1_abcdef01` }
    const serializer = new RunSerializer(ids, `mgr_${userId}`, new SerializerScratch())
    for (const type of AGENT_EVENT_TYPES) {
      const payload =
        type === 'agent_thinking'
          ? shared
          : { note: `for ${userId}`, nested: { list: [1, 2.5, null, 'x"y'] } }
      const event = {
        event_id: `evt_${userId}`,
        type,
        ...ids,
        step: stepOf(type),
        emitted_at: 1_763_000_000_000.125 + stepOf(type) / 3,
        payload: payload instanceof ConstantPayload ? payload.value : payload
      }
      const bytes = serializer.frame(event.event_id, type, event.step, event.emitted_at, payload)
      expect(Buffer.compare(bytes, Buffer.from(JSON.stringify({ type: 'agent_event', event })))).toBe(0)
      const frame = Buffer.from(bytes).toString('utf8')
      expect(agentEventSchema.parse((JSON.parse(frame) as { event: unknown }).event)).toEqual(event)

      const emitted = {
        kind: 'agent_event_emitted',
        event_id: event.event_id,
        type,
        user_id: userId,
        run_id: ids.run_id,
        manager_id: `mgr_${userId}`,
        recipients: 3
      }
      const members = Buffer.from(serializer.emittedMembersBytes(event.event_id, type, 3)).toString('utf8')
      const line = `{"kind":"agent_event_emitted",${members},"seq":0,"ts":1}`
      expect(line).toBe(JSON.stringify({ ...emitted, seq: 0, ts: 1 }))
      inspectionEventSchema.parse(JSON.parse(line))
    }
  })
  it('writes into its own scratch: a frame made on another is not overwritten', () => {
    const ids = { user_id: 'usr_a', thread_id: 'thr_a', run_id: 'run_a' }
    const one = new RunSerializer(ids, 'mgr_a', new SerializerScratch())
    const other = new RunSerializer({ ...ids, user_id: 'usr_b' }, 'mgr_b', new SerializerScratch())
    const first = one.frame('evt_1', 'agent_started', 0, 1.5, { n: 1 })
    const before = Buffer.from(first).toString('utf8')
    other.frame('evt_2', 'agent_started', 0, 2.5, { n: 2 })
    expect(Buffer.from(first).toString('utf8')).toBe(before)
  })

  it('freezes a constant payload deeply, so its cached JSON cannot go stale', () => {
    const value = shared.value as { nested: { list: unknown[] } }
    expect(Object.isFrozen(value)).toBe(true)
    expect(Object.isFrozen(value.nested.list)).toBe(true)
    expect(() => value.nested.list.push(3)).toThrow(TypeError)
  })
})
