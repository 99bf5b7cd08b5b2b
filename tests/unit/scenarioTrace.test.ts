import { describe, expect, it } from 'vitest'
import type { InspectionEvent } from '../../src/shared/inspection'
import type { WhyBinding } from '../../src/shared/scenario'
import { TraceCursor } from '../../src/main/scenarios/traceCursor'
import { findEvents } from '../../src/main/scenarios/traceQuery'

const error = {
  type: 'ValueError',
  message: 'user_context must be a UserExecutionContext instance',
  site: 'websocket_manager_factory.py:762'
}
const trace: InspectionEvent[] = [
  { seq: 0, ts: 1, kind: 'phase_transition', from: null, to: 'idle' },
  {
    seq: 1,
    ts: 1,
    kind: 'manager_rejected',
    caller: 'agent_service_factory.py:14',
    call: 'factory.create_manager(None)',
    error
  },
  {
    seq: 2,
    ts: 1,
    kind: 'module_failed',
    module: 't.py',
    chain: ['t.py', 'agent_service_factory.py:14'],
    error
  },
  { seq: 3, ts: 1, kind: 'phase_transition', from: 'idle', to: 'ready' },
  {
    seq: 4,
    ts: 1,
    kind: 'manager_rejected',
    caller: 'websocket_endpoint',
    call: 'factory.create_manager(None)',
    error
  },
  {
    seq: 5,
    ts: 1,
    kind: 'agent_event_delivered',
    event_id: 'evt_1',
    type: 'agent_started',
    run_id: 'r',
    owner_user_id: 'alice',
    receiver_user_id: 'bob',
    latency_ms: 1
  }
]

describe('trace predicates', () => {
  it('select by kind and dotted field paths with each matcher', () => {
    const seqs = (match: Parameters<typeof findEvents>[1]): number[] =>
      findEvents(trace, match).map((event) => event.seq)
    expect(seqs({ kind: 'manager_rejected', where: { caller: 'agent_service_factory.py:14' } })).toEqual([1])
    expect(
      seqs({ kind: 'manager_rejected', where: { 'error.site': { startsWith: 'websocket_manager_factory' } } })
    ).toEqual([1, 4])
    expect(
      seqs({ kind: 'manager_rejected', where: { 'error.message': { contains: 'UserExecutionContext' } } })
    ).toEqual([1, 4])
    expect(seqs({ kind: 'manager_rejected', where: { caller: { matches: '^websocket_' } } })).toEqual([4])
    expect(seqs({ kind: 'manager_rejected', where: { caller: { not: 'websocket_endpoint' } } })).toEqual([1])
    expect(
      seqs({ kind: 'module_failed', where: { chain: { includes: 'agent_service_factory.py:14' } } })
    ).toEqual([2])
    expect(
      seqs({ kind: 'module_failed', where: { chain: ['t.py', 'agent_service_factory.py:14'] } })
    ).toEqual([2])
    expect(seqs({ kind: 'phase_transition', where: { to: { oneOf: ['ready', 'failed'] } } })).toEqual([3])
    expect(
      seqs({ kind: 'agent_event_delivered', where: { receiver_user_id: { sameAs: 'owner_user_id' } } })
    ).toEqual([])
  })

  it('limit a match to the events before or after another', () => {
    const ready = { kind: 'phase_transition' as const, where: { to: 'ready' } }
    expect(
      findEvents(trace, { kind: 'manager_rejected', where: {}, before: ready }).map((event) => event.seq)
    ).toEqual([1])
    expect(
      findEvents(trace, { kind: 'manager_rejected', where: {}, after: ready }).map((event) => event.seq)
    ).toEqual([4])
  })
})

describe('TraceCursor', () => {
  const whys: WhyBinding[] = [
    { index: 1, question: 'q', answer: 'a', run: 'failure', seq: 4, problem: null },
    {
      index: 2,
      question: 'q',
      answer: 'a',
      run: 'failure',
      seq: null,
      problem: 'why 2 is not bound: no warning'
    },
    { index: 3, question: 'q', answer: 'a', run: 'fixed', seq: 0, problem: null }
  ]

  it('steps forward and back within the trace', () => {
    const cursor = new TraceCursor(trace, whys, 'failure')
    expect(cursor.current).toBeNull()
    expect(cursor.forward()?.seq).toBe(0)
    expect(cursor.forward(2)?.seq).toBe(2)
    expect(cursor.seen).toHaveLength(3)
    expect(cursor.back()?.seq).toBe(1)
    expect(cursor.forward(100)?.seq).toBe(5)
    expect(cursor.atEnd).toBe(true)
    expect(cursor.back(100)).toBeNull()
  })

  it('jumps to a why, and says why it cannot', () => {
    const cursor = new TraceCursor(trace, whys, 'failure')
    expect(cursor.jumpToWhy(1).seq).toBe(4)
    expect(cursor.position).toBe(4)
    expect(() => cursor.jumpToWhy(2)).toThrow('why 2 is not bound')
    expect(() => cursor.jumpToWhy(3)).toThrow('proved in the fixed trace')
    expect(() => cursor.jumpToSeq(99)).toThrow('no event with seq 99 in this trace (seqs 0..5)')
  })
})
