import { describe, expect, it } from 'vitest'
import { AGENT_EVENT_TYPES, agentEventSchema, stepOf } from '../../src/shared/agentEvents'
import { inspectionEventSchema } from '../../src/shared/inspection'
import {
  constantPayload,
  RunSerializer,
  runCompletedMembers,
  runStartedMembers
} from '../../src/main/runtime/agents/runSerializer'

const shared = constantPayload({ thought: 'constant "payload"', nested: { list: [1, 'two'] } })

/** Ids that need escaping: quotes, backslashes, control characters, astral characters, a lone surrogate. */
const AWKWARD = ['usr_plain', 'usr_"quoted"', 'usr_back\\slash', 'usr_\n\t\u0001', 'usr_😀', 'usr_\ud800']

describe('RunSerializer', () => {
  it.each(AWKWARD)('writes exactly the UTF-8 of what JSON.stringify writes, for id %j', (userId) => {
    const ids = { user_id: userId, thread_id: `thr_${userId}`, run_id: `run_${userId}_1_abcdef01` }
    const serializer = new RunSerializer(ids, `mgr_${userId}`)
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
        payload
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
      const members = serializer.emittedMembers(event.event_id, type, 3)
      const membersBytes = serializer.emittedMembersBytes(event.event_id, type, 3)
      expect(Buffer.from(membersBytes).toString('utf8')).toBe(members)
      const line = `{"kind":"agent_event_emitted",${members},"seq":0,"ts":1}`
      expect(line).toBe(JSON.stringify({ ...emitted, seq: 0, ts: 1 }))
      inspectionEventSchema.parse(JSON.parse(line))
    }
  })
  it.each(AWKWARD)('writes run_started and run_completed as JSON.stringify does, for id %j', (userId) => {
    const context = {
      user_id: userId,
      thread_id: `thr_${userId}`,
      run_id: `run_${userId}`,
      request_id: `req_${userId}`
    }
    const started = `{"kind":"run_started",${runStartedMembers(context)},"seq":1,"ts":2}`
    expect(started).toBe(JSON.stringify({ kind: 'run_started', context, seq: 1, ts: 2 }))
    const completed = `{"kind":"run_completed",${runCompletedMembers(context.run_id, userId, 4)},"seq":1,"ts":2}`
    expect(completed).toBe(
      JSON.stringify({
        kind: 'run_completed',
        run_id: context.run_id,
        user_id: userId,
        emitted: 4,
        seq: 1,
        ts: 2
      })
    )
    inspectionEventSchema.parse(JSON.parse(started))
    inspectionEventSchema.parse(JSON.parse(completed))
  })

  it('freezes a constant payload deeply, so its cached JSON cannot go stale', () => {
    expect(Object.isFrozen(shared)).toBe(true)
    expect(Object.isFrozen(shared.nested.list)).toBe(true)
    expect(() => (shared.nested.list as unknown[]).push(3)).toThrow(TypeError)
  })
})
