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
})
