import { describe, expect, it } from 'vitest'
import { createInitialState, reduceEvents, ringAt, type InspectorState } from '../../src/renderer/src/store'
import { rowPlacement } from '../../src/renderer/src/views/users/rowPlacement'
import type { InspectionEvent } from '../../src/shared/inspection'

const context = {
  user_id: 'alice',
  thread_id: 'thread_alice',
  run_id: 'run_thread_alice_1',
  request_id: 'req_1'
}

function deliveries(from: number, count: number): InspectionEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    kind: 'agent_event_delivered' as const,
    event_id: `evt_${from + i}`,
    type: 'agent_thinking' as const,
    run_id: context.run_id,
    owner_user_id: 'alice',
    receiver_user_id: 'alice',
    latency_ms: 1,
    seq: from + i,
    ts: from + i
  }))
}

function laneAfter(count: number, capacity: number): InspectorState {
  const connected: InspectionEvent = {
    kind: 'user_connected',
    context,
    connection_id: 'conn_1',
    manager_id: 'mgr_1',
    seq: 0,
    ts: 0
  } as InspectionEvent
  return reduceEvents(createInitialState(capacity), [connected, ...deliveries(1, count)])
}

/** Where each shown entry (by seq) lands on screen, newest first. */
function screen(state: InspectorState): Map<number, { screen: number; inContainer: number }> {
  const lane = state.lanes.alice!
  const place = rowPlacement(lane, true)
  const out = new Map<number, { screen: number; inContainer: number }>()
  for (let row = 0; row < lane.entries.size; row += 1) {
    const ringIndex = lane.entries.size - 1 - row
    const at = place.rowAt(row, ringIndex)
    out.set(ringAt(lane.entries, ringIndex)!.seq, { screen: at + place.shift, inContainer: at })
  }
  return out
}

describe('lane row placement', () => {
  it('shows the newest entry first and each older one a row further down', () => {
    const rows = screen(laneAfter(30, 10))
    expect([...rows.values()].map((row) => row.screen)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(rows.get(30)?.screen).toBe(0)
  })

  it('leaves rows already shown where they are in their container when a batch arrives', () => {
    const before = screen(laneAfter(30, 10))
    const after = screen(laneAfter(33, 10))
    for (const seq of [24, 25, 26, 27, 28, 29, 30]) {
      expect(after.get(seq)?.inContainer).toBe(before.get(seq)?.inContainer)
      expect(after.get(seq)?.screen).toBe((before.get(seq)?.screen ?? NaN) + 3)
    }
  })

  it('stays right across the base step, and sits at list index when filtered', () => {
    const rows = screen(laneAfter(4100, 50))
    expect([...rows.values()].map((row) => row.screen)).toEqual(Array.from({ length: 50 }, (_, i) => i))
    const filtered = rowPlacement(laneAfter(5, 10).lanes.alice!, false)
    expect([0, 1, 2].map((row) => filtered.rowAt(row, 4 - row) + filtered.shift)).toEqual([0, 1, 2])
  })
})
