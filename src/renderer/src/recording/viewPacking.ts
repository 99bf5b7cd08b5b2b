import type { AgentEventType } from '../../../shared/agentEvents'
import type { TimelineView } from '../session/replayTimeline'
import type { AgentLaneEntry, InspectorState, Lane, LaneEntry, LaneSummary } from '../store/state'
import { createRing, ringAt, ringPush } from '../store/ring'

/**
 * A lane as it crosses from the recording worker to the page. The lanes' agent entries are most of a state (100
 * users' full lanes are 50,000 objects); as objects a view took about 100 ms to clone in the worker and as long
 * again in the page, which is what a scrub waited for. Packed into columns they cross in about a millisecond.
 */
type LaneShape =
  | { packed: false; lane: Lane }
  | { packed: true; user_id: string; capacity: number; summary: LaneSummary; count: number }

export interface PackedView {
  cursor: number
  event: TimelineView['event']
  /** The state, its lanes left out: they follow, in the same order. */
  state: Omit<InspectorState, 'lanes'>
  lanes: LaneShape[]
  /** The packed lanes' entries, oldest first, lane after lane. */
  entries: PackedEntries
}

interface PackedEntries {
  /** Every string the entries hold, once. */
  strings: string[]
  /** Per entry: seq, ts, latency_ms. */
  numbers: Float64Array<ArrayBuffer>
  /** Per entry, indexes into `strings`: event_id, type, run_id, owner_user_id. */
  refs: Uint32Array<ArrayBuffer>
  violations: Uint8Array<ArrayBuffer>
  /** The entries that carried canaries (target mode), by entry index. */
  canaries: Array<[entry: number, users: readonly string[]]>
}

const NUMBERS = 3
const REFS = 4

/** The view, packed, and the buffers to transfer with it. */
export function packView(view: TimelineView): { packed: PackedView; transfer: ArrayBuffer[] } {
  const { lanes, ...state } = view.state
  const shapes: LaneShape[] = []
  let total = 0
  for (const lane of Object.values(lanes)) {
    if (allAgent(lane)) {
      shapes.push({
        packed: true,
        user_id: lane.user_id,
        capacity: lane.entries.capacity,
        summary: lane.summary,
        count: lane.entries.size
      })
      total += lane.entries.size
    } else shapes.push({ packed: false, lane })
  }
  const entries: PackedEntries = {
    strings: [],
    numbers: new Float64Array(total * NUMBERS),
    refs: new Uint32Array(total * REFS),
    violations: new Uint8Array(total),
    canaries: []
  }
  const indexOf = new Map<string, number>()
  const ref = (text: string): number => {
    let index = indexOf.get(text)
    if (index === undefined) {
      index = entries.strings.push(text) - 1
      indexOf.set(text, index)
    }
    return index
  }
  let at = 0
  for (const lane of Object.values(lanes)) {
    if (!allAgent(lane)) continue
    for (let index = 0; index < lane.entries.size; index++, at++) {
      const entry = ringAt(lane.entries, index) as AgentLaneEntry
      entries.numbers[at * NUMBERS] = entry.seq
      entries.numbers[at * NUMBERS + 1] = entry.ts
      entries.numbers[at * NUMBERS + 2] = entry.latency_ms
      entries.refs[at * REFS] = ref(entry.event_id)
      entries.refs[at * REFS + 1] = ref(entry.type)
      entries.refs[at * REFS + 2] = ref(entry.run_id)
      entries.refs[at * REFS + 3] = ref(entry.owner_user_id)
      entries.violations[at] = entry.violation ? 1 : 0
      if (entry.canary !== null) entries.canaries.push([at, entry.canary])
    }
  }
  return {
    packed: { cursor: view.cursor, event: view.event, state, lanes: shapes, entries },
    transfer: [entries.numbers.buffer, entries.refs.buffer, entries.violations.buffer]
  }
}

/** The view `packView` packed, its lanes whole again. */
export function unpackView({ cursor, event, state, lanes, entries }: PackedView): TimelineView {
  const canaries = new Map(entries.canaries)
  const unpacked: Record<string, Lane> = {}
  let at = 0
  for (const shape of lanes) {
    if (!shape.packed) {
      unpacked[shape.lane.user_id] = shape.lane
      continue
    }
    const ring = createRing<LaneEntry>(shape.capacity)
    for (let index = 0; index < shape.count; index++, at++) {
      const number = at * NUMBERS
      const ref = at * REFS
      ringPush(ring, {
        kind: 'agent',
        seq: entries.numbers[number] as number,
        ts: entries.numbers[number + 1] as number,
        event_id: entries.strings[entries.refs[ref] as number] as string,
        type: entries.strings[entries.refs[ref + 1] as number] as AgentEventType,
        run_id: entries.strings[entries.refs[ref + 2] as number] as string,
        owner_user_id: entries.strings[entries.refs[ref + 3] as number] as string,
        latency_ms: entries.numbers[number + 2] as number,
        violation: entries.violations[at] === 1,
        canary: canaries.get(at) ?? null
      })
    }
    unpacked[shape.user_id] = { user_id: shape.user_id, entries: ring, summary: shape.summary }
  }
  return { cursor, event, state: { ...state, lanes: unpacked } }
}

function allAgent(lane: Lane): boolean {
  for (let index = 0; index < lane.entries.size; index++) {
    if (ringAt(lane.entries, index)?.kind !== 'agent') return false
  }
  return true
}
