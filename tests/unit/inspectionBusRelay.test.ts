import { describe, expect, it } from 'vitest'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import type { InspectionEvent } from '../../src/shared/inspection'

describe('InspectionBus.relay', () => {
  it("stamps a relayed event into the stream's history and bytes, and hands it to no listener that would judge it", async () => {
    const bus = new InspectionBus()
    const objects: InspectionEvent[] = []
    const lines: string[] = []
    const bytes: string[] = []
    bus.subscribe((event) => objects.push(event))
    bus.subscribeLines((line) => lines.push(line))
    bus.subscribeBytes((chunk) => bytes.push(chunk.toString('utf8')))
    bus.emit({ kind: 'warning', code: 'before', message: 'own event' })
    bus.relay({ kind: 'run_completed', run_id: 'run-1', user_id: 'user_1', emitted: 5 })
    bus.emit({ kind: 'warning', code: 'after', message: 'own event' })
    await new Promise((resolve) => setImmediate(resolve))

    const history = bus.snapshot()
    expect(history.map((event) => [event.kind, event.seq])).toEqual([
      ['warning', 0],
      ['run_completed', 1],
      ['warning', 2]
    ])
    expect(bytes.join('\n').split('\n').map((line) => (JSON.parse(line) as InspectionEvent).seq)).toEqual([0, 1, 2])
    expect(objects.map((event) => event.kind)).toEqual(['warning', 'warning'])
    expect(lines).toHaveLength(2)
  })
})
