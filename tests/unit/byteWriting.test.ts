import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../src/main/runtime/ids/seededRandom'
import {
  MAX_MICROS_BYTES,
  writeDigits,
  writeLatin1,
  writeMicros
} from '../../src/main/runtime/inspection/byteWriting'
import { toMicros } from '../../src/shared/numberText'

const written = (write: (target: Buffer, at: number) => number): string => {
  const target = Buffer.alloc(64, 0x2a)
  const end = write(target, 3)
  // Nothing before `at` or after the returned offset is touched.
  expect(target.subarray(0, 3).toString('latin1')).toBe('***')
  expect(target.subarray(end).toString('latin1')).toBe('*'.repeat(64 - end))
  return target.toString('latin1', 3, end)
}

describe('writeMicros', () => {
  it.each([
    0,
    0.001,
    0.005,
    0.05,
    0.5,
    0.25,
    1,
    10,
    12.345,
    999.999,
    1763793632123,
    1763793632123.457,
    2 ** 43 - 0.001
  ])('writes %d as String does', (value) => {
    expect(written((target, at) => writeMicros(target, at, value))).toBe(String(value))
  })

  it('agrees with String on random latencies and clock readings on the microsecond grid', () => {
    const random = seededRandom(21)
    for (let round = 0; round < 20_000; round++) {
      const value = toMicros(round % 2 === 0 ? random() * 50 : 1.6e12 + random() * 6e11)
      expect(written((target, at) => writeMicros(target, at, value))).toBe(String(value))
    }
  })

  it.each([1 / 3, 0.0005, -1.5, -0, 2 ** 43, 1e21, Number.MAX_VALUE, Number.NaN, Infinity])(
    'writes %d, off the grid or out of its range, from String within MAX_MICROS_BYTES',
    (value) => {
      const text = written((target, at) => writeMicros(target, at, value))
      expect(text).toBe(String(value))
      expect(text.length).toBeLessThanOrEqual(MAX_MICROS_BYTES)
    }
  )
})

describe('writeDigits and writeLatin1', () => {
  it.each([0, 7, 10, 123456789, Number.MAX_SAFE_INTEGER])('writes %d as String does', (value) => {
    expect(written((target, at) => writeDigits(target, at, value))).toBe(String(value))
  })

  it.each(['', 'evt_42', 'run_thread_2_00b349c9_6_47f66630', 'x'.repeat(33), 'a.b:c-d'])(
    'writes %j byte for byte',
    (text) => {
      expect(written((target, at) => writeLatin1(target, at, text))).toBe(text)
    }
  )
})
