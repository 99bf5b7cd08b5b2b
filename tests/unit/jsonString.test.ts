import { describe, expect, it } from 'vitest'
import { jsonString } from '../../src/shared/json'
import { seededRandom } from '../../src/main/runtime/ids/seededRandom'

describe('jsonString', () => {
  it.each([
    '',
    'evt_42',
    'run_thread_2_00b349c9_6_47f66630',
    'a.b:c-d',
    'usr_"quoted"',
    'back\\slash',
    'line\nbreak\ttab\u0001',
    'é漢😀',
    'lone \ud800 surrogate',
    'separators \u2028\u2029',
    'slash / and space'
  ])('writes %j exactly as JSON.stringify does', (text) => {
    expect(jsonString(text)).toBe(JSON.stringify(text))
  })

  it('agrees with JSON.stringify on random strings of every kind of character', () => {
    const random = seededRandom(5)
    for (let round = 0; round < 2_000; round++) {
      const text = Array.from({ length: Math.floor(random() * 12) }, () =>
        String.fromCharCode(random() < 0.8 ? 32 + Math.floor(random() * 95) : Math.floor(random() * 0x10000))
      ).join('')
      expect(jsonString(text)).toBe(JSON.stringify(text))
    }
  })
})
