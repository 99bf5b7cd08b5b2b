import { describe, expect, it } from 'vitest'
import {
  createRing,
  ringAt,
  ringClone,
  ringPush,
  ringSet,
  ringToArray
} from '../../src/renderer/src/store/ring'

/** The obvious model: an array keeping the newest `capacity` items. */
function model(capacity: number, items: number[]): number[] {
  return items.slice(Math.max(0, items.length - capacity))
}

describe('ring', () => {
  it('keeps the newest items in order and hands back each one it pushes out, across many laps', () => {
    for (const capacity of [1, 7, 256, 600, 1000]) {
      const ring = createRing<number>(capacity)
      const pushed: number[] = []
      const evicted: number[] = []
      for (let i = 0; i < 2_500; i += 1) {
        const out = ringPush(ring, i)
        if (out !== undefined) evicted.push(out)
        pushed.push(i)
      }
      expect(ringToArray(ring)).toEqual(model(capacity, pushed))
      expect(evicted).toEqual(pushed.slice(0, pushed.length - capacity))
      expect(ringAt(ring, 0)).toBe(pushed.length - capacity)
    }
  })

  it('a copy shares what it does not write: the original never changes, untouched chunks are the same arrays', () => {
    const original = createRing<number>(100_000)
    for (let i = 0; i < 150_000; i += 1) ringPush(original, i)
    const before = ringToArray(original)

    const copy = ringClone(original)
    for (let i = 150_000; i < 150_300; i += 1) ringPush(copy, i)
    ringSet(copy, 5, -1)

    expect(ringToArray(original)).toEqual(before)
    const expected = model(100_000, [...before, ...Array.from({ length: 300 }, (_, i) => 150_000 + i)])
    expected[5] = -1
    expect(ringToArray(copy)).toEqual(expected)
    const shared = copy.chunks.filter((chunk, index) => chunk === original.chunks[index]).length
    // 300 pushes and one set touch at most four of the 391 chunks; every other one is shared, not copied.
    expect(shared).toBeGreaterThanOrEqual(copy.chunks.length - 4)
  })
})
