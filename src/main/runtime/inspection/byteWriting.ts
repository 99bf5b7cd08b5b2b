import { MICRO_TEXT_LIMIT, toMicros } from '../../../shared/numberText'

/**
 * Copies all of `from` into `to` at `at`, returning the offset after it. TypedArray.set: for the tens of bytes of a
 * line's head or tail it costs a third of Buffer.copy, and a byte loop three times as much again.
 */
export function copyInto(from: Uint8Array, to: Uint8Array, at: number): number {
  to.set(from, at)
  return at + from.length
}

/** Writes a non-negative integer's decimal digits at `at` (as JSON would), returning the offset after them. */
export function writeDigits(target: Buffer, at: number, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) return at + target.write(String(value), at, 'latin1')
  let digits = 1
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits += 1
  for (let index = at + digits - 1, rest = value; index >= at; index--, rest = Math.floor(rest / 10))
    target[index] = 0x30 + (rest % 10)
  return at + digits
}

/** Room writeMicros may need: String's longest text for a double. */
export const MAX_MICROS_BYTES = 32

/**
 * Writes a non-negative value on the microsecond grid (see toMicros) at `at` exactly as String would write it
 * (numberText's microText), digit by digit, with no string made; anything else from String's text. Returns the
 * offset after it.
 */
export function writeMicros(target: Buffer, at: number, value: number): number {
  if (!(value >= 0 && value < MICRO_TEXT_LIMIT) || toMicros(value) !== value)
    return at + target.write(String(value), at, 'latin1')
  const micros = Math.round(value * 1000)
  const whole = Math.floor(micros / 1000)
  let fraction = micros - whole * 1000
  const end = writeDigits(target, at, whole)
  if (fraction === 0) return end
  target[end] = 0x2e
  // Three digits with the trailing zeros dropped: 5 is ".005", 50 ".05", 500 ".5".
  let digits = 3
  while (fraction % 10 === 0) {
    fraction /= 10
    digits -= 1
  }
  for (let index = end + digits; index > end; index--, fraction = Math.floor(fraction / 10))
    target[index] = 0x30 + (fraction % 10)
  return end + 1 + digits
}

/**
 * Writes a string of Latin-1 characters (an id that needs no escaping, so ASCII) at `at`, returning the offset
 * after it. Short ones byte by byte: Buffer.write's trip into the runtime costs more than the loop for the ten or
 * so characters of an event id.
 */
export function writeLatin1(target: Buffer, at: number, text: string): number {
  if (text.length > 32) return at + target.write(text, at, 'latin1')
  for (let index = 0; index < text.length; index++) target[at + index] = text.charCodeAt(index)
  return at + text.length
}
