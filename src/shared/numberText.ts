/**
 * Decimal text for the numbers the hot paths write (ids' counters, timestamps, latencies), made without V8's
 * number-to-string cache.
 *
 * Why: `String(n)` and `${n}` keep every string they make in a table of up to 16k entries, so numbers that never
 * repeat (a counter, a clock) keep it full of fresh strings that every young collection copies (see the README's
 * benchmark notes). Joins of ready-made pieces stay out of the table.
 */

/** "0" to "999", and the same three digits wide ("000"): made once, so that a number's text is a few joins. */
const UP_TO_999 = Array.from({ length: 1000 }, (_, index) => String(index))
const THREE_DIGITS = UP_TO_999.map((text) => text.padStart(3, '0'))

/**
 * A safe integer's decimal text, exactly as String writes it, joined from three-digit pieces: a third of the cost
 * of toFixed(0), which also stays clear of the cache.
 */
export function integerText(value: number): string {
  if (!Number.isSafeInteger(value)) return String(value)
  if (value < 0) return value.toFixed(0)
  if (value < 1000) return UP_TO_999[value] as string
  let rest = Math.floor(value / 1000)
  let text = THREE_DIGITS[value - rest * 1000] as string
  while (rest >= 1000) {
    const higher = Math.floor(rest / 1000)
    text = (THREE_DIGITS[rest - higher * 1000] as string) + text
    rest = higher
  }
  return (UP_TO_999[rest] as string) + text
}

/** Milliseconds on the microsecond grid: what timestamps and latencies are kept at, so that they print short. */
export function toMicros(ms: number): number {
  return Math.round(ms * 1000) / 1000
}

/**
 * Below this magnitude a double's spacing is under a microsecond (at most 2^-10 ms), so the shortest text that
 * reads back as a value on the microsecond grid is its three decimals without trailing zeros: what microText
 * writes. Wall-clock milliseconds stay under it for two more centuries.
 */
export const MICRO_TEXT_LIMIT = 2 ** 43

/**
 * The decimal text of a value on the microsecond grid (see toMicros), exactly as String writes it; any other value
 * gets String's text.
 */
export function microText(value: number): string {
  if (!(Math.abs(value) < MICRO_TEXT_LIMIT) || toMicros(value) !== value) return String(value)
  const fixed = value.toFixed(3)
  let end = fixed.length
  while (fixed.charCodeAt(end - 1) === 0x30) end -= 1
  if (fixed.charCodeAt(end - 1) === 0x2e) end -= 1
  const text = end === fixed.length ? fixed : fixed.slice(0, end)
  // -0.0001 rounds to "-0.000": String writes every zero as "0".
  return text === '-0' ? '0' : text
}
