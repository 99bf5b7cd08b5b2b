import { describe, expect, it } from 'vitest'
import { packView, unpackView } from '../../src/renderer/src/recording/viewPacking'
import { createInitialState, reduceEvents, ringToArray } from '../../src/renderer/src/store'
import { createRing, ringPush } from '../../src/renderer/src/store/ring'
import type { FrameLaneEntry, InspectorState, LaneEntry } from '../../src/renderer/src/store/state'
import type { InspectionEvent } from '../../src/shared/inspection'

const delivery = (seq: number, owner: string, receiver: string): InspectionEvent => ({
  kind: 'agent_event_delivered',
  event_id: `evt_${seq}`,
  type: seq % 2 === 0 ? 'agent_started' : 'tool_executing',
  run_id: `run_${owner}`,
  owner_user_id: owner,
  receiver_user_id: receiver,
  latency_ms: seq / 7,
  seq,
  ts: 1_700_000_000_000 + seq
})

const frame = (seq: number): FrameLaneEntry => ({
  kind: 'frame',
  seq,
  ts: seq,
  connection_id: 'conn_1',
  bytes: 12,
  binary: false,
  excerpt: '{"hello":1}',
  owner: 'user_b',
  owners: ['user_b'],
  leaks: 1,
  lastSeq: seq,
  violation: true
})

/** A state as the reducer builds it: two users' lanes, one wrapped past its capacity, with a violation. */
function foldedState(): InspectorState {
  const events: InspectionEvent[] = []
  for (let seq = 0; seq < 40; seq++) events.push(delivery(seq, 'user_a', 'user_a'))
  events.push(delivery(40, 'user_a', 'user_b'))
  for (let seq = 41; seq < 50; seq++) events.push(delivery(seq, 'user_b', 'user_b'))
  return reduceEvents(createInitialState(16), events)
}

/** Through a real structured clone, as postMessage sends it, with its buffers transferred. */
function crossed(state: InspectorState, cursor: number): InspectorState {
  const { packed, transfer } = packView({ cursor, state, event: null })
  const received = unpackView(structuredClone(packed, { transfer }))
  expect(received.cursor).toBe(cursor)
  expect(transfer.every((buffer) => buffer.byteLength === 0)).toBe(true)
  return received.state
}

function lanesOf(state: InspectorState): Array<[string, LaneEntry[], number, unknown]> {
  return Object.values(state.lanes).map((lane) => [
    lane.user_id,
    ringToArray(lane.entries),
    lane.entries.capacity,
    lane.summary
  ])
}

describe('a view crossing from the recording worker to the page', () => {
  it('arrives with the same lanes, in the same order, and the same state around them', () => {
    const state = foldedState()
    expect(Object.keys(state.lanes)).toEqual(['user_a', 'user_b'])
    expect(state.lanes.user_a?.entries.start).toBeGreaterThan(0)
    const received = crossed(state, 50)
    expect(lanesOf(received)).toEqual(lanesOf(state))
    expect(Object.keys(received.lanes)).toEqual(['user_a', 'user_b'])
    expect(ringToArray(received.lanes.user_b!.entries).some((entry) => entry.kind === 'agent' && entry.violation))
      .toBe(true)
    const { lanes: _sent, ...rest } = state
    const { lanes: _received, ...restReceived } = received
    expect(restReceived).toEqual(rest)
  })

  it('keeps canaries and leaves a lane holding observed frames as it is', () => {
    const state = foldedState()
    const entries = createRing<LaneEntry>(8)
    ringPush(entries, frame(60))
    const canaried = createRing<LaneEntry>(8)
    ringPush(canaried, { ...(ringToArray(state.lanes.user_a!.entries)[0] as LaneEntry), canary: ['user_b'] } as LaneEntry)
    const withFrames: InspectorState = {
      ...state,
      lanes: {
        user_c: { user_id: 'user_c', entries, summary: state.lanes.user_a!.summary },
        ...state.lanes,
        user_d: { user_id: 'user_d', entries: canaried, summary: state.lanes.user_a!.summary }
      }
    }
    const received = crossed(withFrames, 61)
    expect(lanesOf(received)).toEqual(lanesOf(withFrames))
    expect(Object.keys(received.lanes)).toEqual(['user_c', 'user_a', 'user_b', 'user_d'])
  })
})
