/**
 * Decimal text for the numbers the hot paths write (ids' counters, timestamps, latencies), made without V8's
 * number-to-string cache.
 *
 * Why: `String(n)` and `${n}` keep every string they make in a table of up to 16k entries. A stream of numbers
 * that never repeat (a counter, a clock) replaces its entries faster than they can die young, so each young
 * collection copies hundreds of kilobytes of them and promotes what it copied twice; the old generation then fills
 * with dead digits and V8 starts a mark-compact about once a second. `toFixed` builds its string outside that
 * table. Measured in the paced fan-out bench: the runtime's thread stopped having major collections during the run.
 */

/** A safe integer's decimal text, exactly as String writes it. */
export function integerText(value: number): string {
  return Number.isSafeInteger(value) ? value.toFixed(0) : String(value)
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
