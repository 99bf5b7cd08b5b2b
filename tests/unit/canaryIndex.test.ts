import { describe, expect, it } from 'vitest'
import { CanaryIndex } from '../../src/main/target/canaryIndex'

describe('CanaryIndex', () => {
  const users = Array.from({ length: 10_000 }, (_, k) => ({
    userId: `user_${k + 1}`,
    canary: `si-canary-${k + 1}-0badf00d`
  }))
  const index = new CanaryIndex(users)

  it('finds markers of any length among thousands, inside longer runs of marker characters too', () => {
    const text = JSON.stringify({
      m: 'prefix:si-canary-7-0badf00d:suffix, si-canary-1234-0badf00d, si-canary-9999-0badf00d',
      n: 'si-canary-1-0badf00d'
    })
    expect(index.foreignOwners(text, 'user_1').sort()).toEqual(['user_1234', 'user_7', 'user_9999'].sort())
    expect(index.foreignOwners(text, 'user_7').sort()).toEqual(['user_1', 'user_1234', 'user_9999'].sort())
  })

  it('does not take a near miss or a marker cut by another character for a marker', () => {
    expect(index.foreignOwners('si-canary-7-0badf00', 'user_1')).toEqual([])
    expect(index.foreignOwners('si-canary-7 0badf00d', 'user_1')).toEqual([])
    expect(index.foreignOwners('', 'user_1')).toEqual([])
  })

  it('has no markers to find without users', () => {
    expect(new CanaryIndex([]).foreignOwners('si-canary-1-0badf00d', 'user_1')).toEqual([])
  })
})
