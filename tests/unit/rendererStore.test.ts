import { describe, expect, it } from 'vitest'
import type { AgentEventType } from '../../src/shared/agentEvents'
import { AGENT_EVENT_TYPES } from '../../src/shared/agentEvents'
import type { ContextIds } from '../../src/shared/context'
import type { InspectionDraft, InspectionEvent } from '../../src/shared/inspection'
import { inspectionEventSchema } from '../../src/shared/inspection'
import type { HelloResult } from '../../src/shared/inspectorApi'
import {
  createInitialState,
  currentPhase,
  reduceEvents,
  reset,
  ringToArray,
  setLaneCapacity
} from '../../src/renderer/src/store'

/** Stamps drafts like the runtime's bus does, and validates them against the real schema. */
function stream(drafts: InspectionDraft[], firstSeq = 0): InspectionEvent[] {
  return drafts.map((draft, i) =>
    inspectionEventSchema.parse({ ...draft, seq: firstSeq + i, ts: 1000 + i * 10 })
  )
}

function ctx(user: string): ContextIds {
  return {
    user_id: user,
    thread_id: `thread_${user}`,
    run_id: `run_thread_${user}_1`,
    request_id: `req_${user}`
  }
}

function delivered(owner: string, receiver: string, type: AgentEventType, n: number): InspectionDraft {
  return {
    kind: 'agent_event_delivered',
    event_id: `evt_${owner}_${n}`,
    type,
    run_id: ctx(owner).run_id,
    owner_user_id: owner,
    receiver_user_id: receiver,
    latency_ms: 2
  }
}

const machine: HelloResult['machine'] = {
  id: 'startup',
  initial: 'idle',
  states: [
    { id: 'idle', label: 'idle', type: 'atomic' },
    { id: 'ready', label: 'ready', type: 'final' }
  ],
  transitions: [{ source: 'idle', target: 'ready', event: 'START' }]
}

describe('renderer store', () => {
  it('marks an event leaked through the shared singleton as a violation in the receiver lane, naming its owner', () => {
    const events = stream([
      {
        kind: 'manager_created',
        manager_id: 'shared',
        mode: 'shared',
        context: null,
        caller: 'getWebSocketManager'
      },
      { kind: 'user_connected', connection_id: 'c1', context: ctx('alice'), manager_id: 'shared' },
      { kind: 'user_connected', connection_id: 'c2', context: ctx('bob'), manager_id: 'shared' },
      delivered('alice', 'alice', 'agent_started', 1),
      delivered('alice', 'bob', 'agent_started', 1),
      {
        kind: 'isolation_violation',
        event_id: 'evt_alice_1',
        type: 'agent_started',
        run_id: ctx('alice').run_id,
        owner_user_id: 'alice',
        receiver_user_id: 'bob'
      }
    ])
    const state = reduceEvents(createInitialState(), events)

    const bobLane = ringToArray(state.lanes.bob!.entries)
    expect(bobLane).toHaveLength(1)
    expect(bobLane[0]).toMatchObject({ violation: true, owner_user_id: 'alice', event_id: 'evt_alice_1' })
    expect(ringToArray(state.lanes.alice!.entries)[0]?.violation).toBe(false)
    expect(state.violations.total).toBe(1)
    expect(state.users.bob?.violationsReceived).toBe(1)
    expect(state.users.alice?.violationsLeaked).toBe(1)
    expect(Object.keys(state.factory.managers.shared!.connections)).toEqual(['c1', 'c2'])
  })

  it('keeps only the last N entries per lane and folds older ones into the summary', () => {
    const drafts: InspectionDraft[] = [
      { kind: 'user_connected', connection_id: 'c1', context: ctx('alice'), manager_id: 'm1' }
    ]
    for (let i = 0; i < 25; i += 1) drafts.push(delivered('alice', 'alice', AGENT_EVENT_TYPES[i % 5]!, i))
    drafts.push(delivered('bob', 'alice', 'agent_thinking', 99))
    // Split into batches to exercise copy-on-write across batches.
    const events = stream(drafts)
    let state = createInitialState(10)
    const before = state
    for (let i = 0; i < events.length; i += 7) state = reduceEvents(state, events.slice(i, i + 7))

    const lane = state.lanes.alice!
    expect(lane.entries.size).toBe(10)
    expect(lane.summary.folded).toBe(16)
    expect(lane.summary.foldedByType.agent_started).toBe(4)
    expect(ringToArray(lane.entries).at(-1)).toMatchObject({ owner_user_id: 'bob', violation: true })
    expect(state.users.alice?.delivered).toBe(26)
    expect(before.lanes).toEqual({})

    const smaller = setLaneCapacity(state, 4)
    expect(smaller.lanes.alice!.entries.size).toBe(4)
    expect(smaller.lanes.alice!.summary.folded).toBe(22)
    expect(smaller.lanes.alice!.summary.foldedViolations).toBe(0)
    expect(state.lanes.alice!.entries.size).toBe(10)
  })

  it('records a phase failure with its error and import chain', () => {
    const chain = ['main', 'routes', 'agent_service_factory']
    const error = { type: 'ValueError', message: 'WebSocket manager requires a user context', chain }
    const state = reset({
      machine,
      faults: ['import_time_manager'],
      history: stream([
        { kind: 'phase_transition', from: null, to: 'idle' },
        { kind: 'phase_transition', from: 'idle', to: 'initialization' },
        { kind: 'module_failed', module: 'agent_service_factory', chain, error },
        { kind: 'phase_failed', phase: 'initialization', error },
        { kind: 'phase_transition', from: 'initialization', to: 'failed' }
      ])
    })
    expect(currentPhase(state)).toBe('failed')
    expect(state.phase.failure).toMatchObject({ phase: 'initialization', error })
    expect(state.modules.agent_service_factory).toMatchObject({ status: 'failed', chain })
    expect(state.errors.total).toBe(2)
    expect(state.faults).toEqual(['import_time_manager'])
    expect(ringToArray(state.phase.history).map((step) => step.to)).toEqual([
      'idle',
      'initialization',
      'failed'
    ])
  })

  it('measures run latency from agent_started emission to agent_completed delivery', () => {
    const drafts = AGENT_EVENT_TYPES.map((type, i) => delivered('alice', 'alice', type, i))
    const state = reduceEvents(createInitialState(), stream(drafts))
    // ts 1000..1040, agent_started latency 2 -> emitted at 998; completed delivered at 1040.
    expect(state.users.alice?.runLatency).toMatchObject({ count: 1, last: 42 })
    expect(state.users.alice?.openRuns).toEqual({})
  })

  it('skips events it has already seen and counts managers created and closed', () => {
    const events = stream([
      {
        kind: 'manager_created',
        manager_id: 'm1',
        mode: 'isolated',
        context: ctx('alice'),
        caller: 'factory'
      },
      { kind: 'manager_closed', manager_id: 'm1', user_id: 'alice' }
    ])
    const once = reduceEvents(createInitialState(), events)
    const twice = reduceEvents(once, events)
    expect(twice).toBe(once)
    expect(once.factory).toMatchObject({ created: 1, closed: 1, managers: {} })
  })

  it('stays bounded over a long stream', () => {
    let state = createInitialState(50)
    let seq = 0
    for (let batch = 0; batch < 200; batch += 1) {
      const drafts: InspectionDraft[] = []
      for (let i = 0; i < 500; i += 1)
        drafts.push(delivered('alice', 'alice', AGENT_EVENT_TYPES[i % 5]!, seq + i))
      state = reduceEvents(state, stream(drafts, seq))
      seq += drafts.length
    }
    expect(state.eventCount).toBe(100_000)
    expect(state.lanes.alice!.entries.chunks.flat()).toHaveLength(50)
    expect(state.lanes.alice!.summary.folded).toBe(100_000 - 50)
    expect(Object.keys(state.users.alice!.openRuns).length).toBeLessThanOrEqual(32)
  })
})
