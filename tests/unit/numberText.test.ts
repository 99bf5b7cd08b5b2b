import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../src/main/runtime/ids/seededRandom'
import { integerText, microText, toMicros } from '../../src/shared/numberText'

describe('integerText', () => {
  it.each([
    0,
    -0,
    1,
    9,
    10,
    42,
    -7,
    1_000_000,
    2 ** 31,
    2 ** 32 + 1,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER
  ])('writes %d as String does', (value) => {
    expect(integerText(value)).toBe(String(value))
  })

  it.each([1.5, -0.25, 2 ** 60, 1e21, Number.NaN, Infinity, -Infinity])(
    'leaves %d, which is no safe integer, to String',
    (value) => {
      expect(integerText(value)).toBe(String(value))
    }
  )
})

describe('toMicros', () => {
  it('moves a value by less than a microsecond, onto a grid it keeps', () => {
    const random = seededRandom(9)
    for (let round = 0; round < 5_000; round++) {
      const value = 1.7e12 + random() * 1e9
      const micros = toMicros(value)
      // Half a microsecond of rounding, plus that of doubles, whose spacing at 1.7e12 is 2^-12 ms.
      expect(Math.abs(micros - value)).toBeLessThan(0.001)
      expect(toMicros(micros)).toBe(micros)
    }
  })
})

describe('microText', () => {
  it.each([
    0,
    -0,
    0.001,
    0.01,
    0.1,
    0.5,
    1,
    1.25,
    12.345,
    -3.5,
    -0.001,
    999.999,
    1763793632123,
    1763793632123.1,
    1763793632123.12,
    1763793632123.457,
    2 ** 43 - 0.001
  ])('writes %d as String does', (value) => {
    expect(microText(value)).toBe(String(value))
  })

  it('agrees with String on wall-clock times and latencies on the microsecond grid', () => {
    const random = seededRandom(11)
    for (let round = 0; round < 20_000; round++) {
      const clock = toMicros(1.6e12 + random() * 6e11)
      const latency = toMicros(random() * (round % 2 === 0 ? 5 : 5_000))
      const far = toMicros(random() * 2 ** 43)
      expect(microText(clock)).toBe(String(clock))
      expect(microText(latency)).toBe(String(latency))
      expect(microText(far)).toBe(String(far))
    }
  })

  it.each([
    1 / 3,
    1e-7,
    0.0005,
    1.0000001,
    2 ** 43,
    2 ** 43 + 0.5,
    1e21,
    5e-324,
    Number.NaN,
    Infinity,
    -Infinity
  ])('leaves %d, which is off the grid or too large for it, to String', (value) => {
    expect(microText(value)).toBe(String(value))
  })
})

describe('integerText on every size of number', () => {
  it('agrees with String from 0 to 2^53, through every boundary of its three-digit pieces', () => {
    const random = seededRandom(17)
    for (let digits = 1; digits <= 16; digits++) {
      const low = 10 ** (digits - 1)
      for (const value of [low - 1, low, low + 1, 2 * low - 1, Math.floor(random() * 9 * low) + low])
        if (Number.isSafeInteger(value)) expect(integerText(value)).toBe(String(value))
    }
    for (let round = 0; round < 10_000; round++) {
      const value = Math.floor(random() * 2 ** (1 + (round % 53)))
      expect(integerText(value)).toBe(String(value))
    }
    expect(integerText(1_000_000_000)).toBe('1000000000')
    expect(integerText(1_000_001)).toBe('1000001')
  })
})
