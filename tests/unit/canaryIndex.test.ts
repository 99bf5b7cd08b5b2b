import { describe, expect, it } from 'vitest'
import { CanaryIndex } from '../../src/main/target/canaryIndex'

// Markers from one template share their start (searched for); listed ones may not (found by runs). Valid sets
// only: no marker contains another (prepareTarget refuses that).
const layouts = [
  { name: 'markers sharing a start', marker: (k: number) => `si-canary-${k}-0badf00d` },
  { name: 'markers sharing too short a start', marker: (k: number) => `n${k}.canary-0badf00d.${k}n` }
]

describe.each(layouts)('CanaryIndex, $name', ({ marker }) => {
  const users = Array.from({ length: 10_000 }, (_, k) => ({ userId: `user_${k + 1}`, canary: marker(k + 1) }))
  const index = new CanaryIndex(users)

  it('finds markers of any length among thousands, inside longer runs of marker characters too', () => {
    const text = JSON.stringify({
      m: `prefix:${marker(7)}:suffix, ${marker(1234)}, ${marker(9999)}${marker(9999)}`,
      n: marker(1)
    })
    expect(index.foreignOwners(text, 'user_1').sort()).toEqual(['user_1234', 'user_7', 'user_9999'].sort())
    expect(index.foreignOwners(text, 'user_7').sort()).toEqual(['user_1', 'user_1234', 'user_9999'].sort())
  })

  it('does not take a near miss or a marker cut by another character for a marker', () => {
    expect(index.foreignOwners(marker(7).slice(0, -1), 'user_1')).toEqual([])
    expect(index.foreignOwners(marker(7).replace('-0bad', ' 0bad'), 'user_1')).toEqual([])
    expect(index.foreignOwners('', 'user_1')).toEqual([])
  })

  it('finds a marker at the very end of a frame, and markers written back to back', () => {
    expect(index.foreignOwners(`x${marker(12)}`, 'user_1')).toEqual(['user_12'])
    expect(index.foreignOwners(`${marker(1)}${marker(2)}`, 'user_3').sort()).toEqual(['user_1', 'user_2'])
  })
})

describe('CanaryIndex without users', () => {
  it('has no markers to find', () => {
    expect(new CanaryIndex([]).foreignOwners('si-canary-1-0badf00d', 'user_1')).toEqual([])
  })
})
