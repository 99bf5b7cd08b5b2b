import { describe, expect, it } from 'vitest'
import type { InspectionEvent } from '../../src/shared/inspection'
import type { HelloResult } from '../../src/shared/inspectorApi'
import { LiveProjection } from '../../src/renderer/src/session/liveProjection'

const hello: HelloResult = {
  machine: {
    id: 'startup',
    initial: 'idle',
    states: [{ id: 'idle', label: 'idle', type: 'atomic' }],
    transitions: []
  },
  faults: [],
  history: []
}

function warnings(from: number, count: number): InspectionEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    kind: 'warning' as const,
    code: 'w',
    message: `warning ${from + i}`,
    seq: from + i,
    ts: from + i
  }))
}

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('live projection', () => {
  it('folds pushes that arrive close together in one batch, with one notification', async () => {
    const projection = new LiveProjection()
    projection.resetFrom(hello, { dropQueued: false })
    let notified = 0
    projection.subscribe(() => (notified += 1))

    projection.enqueue(warnings(0, 3))
    projection.enqueue(warnings(3, 3))
    projection.enqueue(warnings(6, 4))
    expect(projection.getSnapshot()?.eventCount).toBe(0)
    await settle(120)

    expect(notified).toBe(1)
    expect(projection.getSnapshot()?.eventCount).toBe(10)
    expect(projection.getSnapshot()?.warnings.total).toBe(10)
    projection.dispose()
  })

  it('keeps what arrived before the first hello and folds it after, counting the overlap once', async () => {
    const projection = new LiveProjection()
    projection.enqueue(warnings(0, 5))
    projection.resetFrom({ ...hello, history: warnings(0, 3) }, { dropQueued: false })
    expect(projection.getSnapshot()?.eventCount).toBe(5)
    projection.enqueue(warnings(5, 2))
    await settle(120)
    expect(projection.getSnapshot()?.eventCount).toBe(7)
    projection.dispose()
  })
  it('folds a summary after the events queued before it (the ones kept for it), and ignores one before hello', () => {
    const summary = {
      from_seq: 5,
      to_seq: 40,
      events: 30,
      users: {},
      managers: {},
      other: { warning: 30 }
    }
    const projection = new LiveProjection()
    projection.applySummary(summary)
    expect(projection.getSnapshot()).toBeNull()
    projection.resetFrom(hello, { dropQueued: false })
    projection.enqueue(warnings(0, 5))
    projection.enqueue([...warnings(10, 1), ...warnings(20, 1)])
    projection.applySummary(summary)
    expect(projection.getSnapshot()?.eventCount).toBe(37)
    expect(projection.getSnapshot()?.warnings.total).toBe(37)
    // The summary never moves lastSeq: the kept events within its range were folded, none skipped.
    expect(projection.getSnapshot()?.lastSeq).toBe(20)
    projection.dispose()
  })
})
