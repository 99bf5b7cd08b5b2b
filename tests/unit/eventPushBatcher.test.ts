import { describe, expect, it } from 'vitest'
import { pushSchema, type PushBytes } from '../../src/shared/inspectorApi'
import { EventPushBatcher } from '../../src/main/host/eventPushBatcher'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'

/** A push is valid only during the call (the batcher reuses its buffer): keep a copy, as a transport would. */
const keep = (push: PushBytes): PushBytes => Uint8Array.from(push) as PushBytes
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

function parsed(pushes: PushBytes[]) {
  return pushes.map((bytes) => {
    const push = pushSchema.parse(JSON.parse(new TextDecoder().decode(bytes)))
    if (push.type !== 'events') throw new Error(`expected an events push, got ${push.type}`)
    return push.events
  })
}

describe('EventPushBatcher', () => {
  it('pushes every event once, in order, as valid events pushes of bounded size', async () => {
    const bus = new InspectionBus()
    const pushes: PushBytes[] = []
    const batcher = new EventPushBatcher(bus, (push) => pushes.push(keep(push)), {
      maxEvents: 500,
      flushMs: 10_000
    })
    const lines: string[] = []
    bus.subscribeLines((line) => lines.push(line))
    for (let round = 0; round < 12; round++) {
      for (let index = 0; index < 97 * round; index++)
        bus.emit({ kind: 'warning', code: 'w', message: `${round}/${index}: "quoted", newline\n, ünï 漢 😀` })
      await turn()
    }
    batcher.close()
    const batches = parsed(pushes)
    expect(batches.flat()).toEqual(lines.map((line) => JSON.parse(line) as unknown))
    // Sent at 500, from runs of up to 64 lines: never more than 500 + 63 in one push.
    for (const batch of batches.slice(0, -1)) expect(batch.length).toBeGreaterThanOrEqual(500)
    for (const batch of batches) expect(batch.length).toBeLessThan(500 + 64)
  })

  it('sends a small batch after flushMs, and nothing when there is nothing', async () => {
    const bus = new InspectionBus()
    const pushes: PushBytes[] = []
    const batcher = new EventPushBatcher(bus, (push) => pushes.push(keep(push)), { maxEvents: 2_000, flushMs: 20 })
    bus.emit({ kind: 'warning', code: 'w', message: 'one' })
    bus.emit({ kind: 'warning', code: 'w', message: 'two' })
    await turn()
    expect(pushes).toHaveLength(0)
    await new Promise((resolve) => setTimeout(resolve, 40))
    expect(parsed(pushes).map((batch) => batch.map((event) => event.seq))).toEqual([[0, 1]])
    batcher.flush()
    expect(pushes).toHaveLength(1)
    batcher.close()
  })
})
