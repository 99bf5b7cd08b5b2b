import { seededRandom } from '../../src/main/runtime/ids/seededRandom'

/**
 * Seeded frame fuzzer: mutates known-good frames (flipped, deleted, inserted and duplicated characters,
 * truncation) and invents random JSON (wrong types, extra keys, prototype keys, huge and odd numbers, deep
 * nesting). Every frame is a JS string, so it goes out as valid UTF-8; invalid UTF-8 is tested on its own.
 */
export function createFrameFuzzer(seed: number, goodFrames: readonly string[], keys: readonly string[]) {
  const random = seededRandom(seed)
  const int = (max: number): number => Math.floor(random() * max)
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T
  const SPECIALS = '{}[]":,\\-+.eE0123456789 tfnul\u0000\u2028\ud800\uffff'
  const ODD_NUMBERS = [
    '1e400',
    '-1e400',
    '1e300',
    '9007199254740993',
    '-0',
    '0.1',
    '1.5',
    '-1',
    '123456789012345678901234567890',
    '1e-400'
  ]
  const allKeys = [...keys, '__proto__', 'constructor', 'prototype', '', 'type', 'id']

  function mutate(text: string): string {
    let out = text
    for (let step = 0, steps = 1 + int(4); step < steps; step++) {
      const at = int(out.length + 1)
      switch (int(5)) {
        case 0:
          out = out.slice(0, at) + pick([...SPECIALS]) + out.slice(at + 1)
          break
        case 1:
          out = out.slice(0, at) + out.slice(at + 1)
          break
        case 2:
          out = out.slice(0, at) + pick([...SPECIALS]) + out.slice(at)
          break
        case 3: {
          const from = int(out.length)
          out = out.slice(0, at) + out.slice(from, from + int(20)) + out.slice(at)
          break
        }
        default:
          out = out.slice(0, at)
      }
    }
    return out
  }

  function value(depth: number): string {
    switch (depth > 3 ? int(5) : int(8)) {
      case 0:
        return pick(ODD_NUMBERS)
      case 1:
        return JSON.stringify(int(1000) - 500)
      case 2:
        return JSON.stringify(
          pick(['', 'start_run', 'ping', 'hello', 'x'.repeat(int(3000)), '\u0000', '\ud800'])
        )
      case 3:
        return pick(['true', 'false', 'null'])
      case 4:
        return JSON.stringify(pick([...keys]))
      case 5:
        return `[${Array.from({ length: int(4) }, () => value(depth + 1)).join(',')}]`
      case 6: {
        const open = 1 + int(5_000)
        return '['.repeat(open) + ']'.repeat(open)
      }
      default:
        return `{${Array.from({ length: int(4) }, () => `${JSON.stringify(pick(allKeys))}:${value(depth + 1)}`).join(',')}}`
    }
  }

  /** The next frame: a third mutated good frames, a third random objects with known keys, a third anything. */
  return function next(): string {
    const roll = int(3)
    if (roll === 0) return mutate(pick(goodFrames))
    if (roll === 1) {
      const entries = Array.from({ length: int(4) }, () => `${JSON.stringify(pick(allKeys))}:${value(1)}`)
      return `{${entries.join(',')}}`
    }
    return value(0)
  }
}
