import { describe, expect, it } from 'vitest'
import { LineRing } from '../../src/main/runtime/inspection/lineRing'
import { seededRandom } from '../../src/main/runtime/ids/seededRandom'

const bytesOf = (lines: readonly string[]): number =>
  lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0)

/** Lines of varied length and script: ASCII, two-byte, three-byte and astral (surrogate pair) characters. */
function randomLine(random: () => number, index: number): string {
  const alphabet = ['a', 'Z', '0', '"', 'é', 'ß', '€', '漢', '😀']
  const length = 1 + Math.floor(random() * 120)
  let text = `${index}:`
  for (let at = 0; at < length; at++) text += alphabet[Math.floor(random() * alphabet.length)]
  return text
}

describe('LineRing', () => {
  it.each([
    ['one chunk', 4096],
    ['chunks of 1 KiB', 1024]
  ])(
    'keeps the newest lines, oldest first, within both bounds, across many laps (%s)',
    (_name, chunkBytes) => {
      const random = seededRandom(7)
      const maxBytes = 4096
      const maxLines = 50
      const ring = new LineRing({ maxLines, maxBytes, chunkBytes })
      const pushed: string[] = []
      let longestReserve = 0
      for (let index = 0; index < 5_000; index++) {
        const line = randomLine(random, index)
        longestReserve = Math.max(longestReserve, line.length * 3)
        ring.push(line)
        pushed.push(line)
        const kept = ring.lines()
        expect(kept.length).toBe(ring.size)
        // A suffix of what was pushed, decoded byte for byte.
        expect(kept).toEqual(pushed.slice(pushed.length - kept.length))
        expect(kept.length).toBeLessThanOrEqual(maxLines)
        expect(bytesOf(kept)).toBeLessThanOrEqual(maxBytes)
        // Eviction is never much earlier than the bounds require: fragmentation costs at most two lines' room a chunk.
        const wanted = pushed.slice(-maxLines)
        const slack = 2 * longestReserve * (maxBytes / chunkBytes)
        if (bytesOf(wanted) <= maxBytes - slack) expect(kept.length).toBe(wanted.length)
      }
    }
  )

  it.each([
    ['one chunk', 16 * 1024],
    ['chunks of 4 KiB', 4096]
  ])(
    'encodes lines pushed in bursts (any script) exactly as pushed, within both bounds (%s)',
    (_name, chunkBytes) => {
      const random = seededRandom(11)
      const ring = new LineRing({ maxLines: 300, maxBytes: 16 * 1024, chunkBytes })
      const pushed: string[] = []
      for (let burst = 0; burst < 400; burst++) {
        const size = Math.floor(random() * 150)
        for (let index = 0; index < size; index++) {
          const line = random() < 0.7 ? `{"ascii":${pushed.length}}` : randomLine(random, pushed.length)
          ring.push(line)
          pushed.push(line)
        }
        const kept = ring.lines()
        expect(kept).toEqual(pushed.slice(pushed.length - kept.length))
        expect(kept.length).toBeLessThanOrEqual(300)
        expect(bytesOf(kept)).toBeLessThanOrEqual(16 * 1024)
        if (size > 0) expect(kept.length).toBeGreaterThan(0)
      }
    }
  )

  it('adds chunks as lines arrive without losing or reordering lines', () => {
    const ring = new LineRing({ maxLines: 100_000, maxBytes: 8 * 1024 * 1024, chunkBytes: 64 * 1024 })
    const lines = Array.from(
      { length: 20_000 },
      (_, index) => `{"seq":${index},"text":"${'x'.repeat(index % 300)}"}`
    )
    for (const line of lines) ring.push(line)
    expect(ring.lines()).toEqual(lines)
  })

  it('evicts by count before bytes run out', () => {
    const ring = new LineRing({ maxLines: 3, maxBytes: 1 << 20 })
    for (const line of ['a', 'b', 'c', 'd', 'e']) ring.push(line)
    expect(ring.lines()).toEqual(['c', 'd', 'e'])
  })

  it('hands every run of encoded lines to onEncoded, in order, including a line too long to keep', () => {
    const heard: string[] = []
    const ring = new LineRing({
      maxLines: 1000,
      maxBytes: 8192,
      chunkBytes: 2048,
      onEncoded: (bytes, lines) => {
        const text = bytes.toString('utf8')
        expect(text.split('\n')).toHaveLength(lines)
        heard.push(...text.split('\n'))
      }
    })
    const pushed = Array.from({ length: 500 }, (_, index) =>
      index === 250 ? 'é'.repeat(1500) : `line ${index} ${'ü'.repeat(index % 40)}`
    )
    for (const line of pushed) ring.push(line)
    ring.flush()
    expect(heard).toEqual(pushed)
  })

  it('refuses a line longer than the whole ring, and says so by emptying itself', () => {
    const ring = new LineRing({ maxLines: 10, maxBytes: 1024 })
    ring.push('kept')
    ring.push('€'.repeat(400))
    expect(ring.lines()).toEqual([])
    // A line that only looks too long (its worst-case reserve exceeds the ring, its bytes do not) is kept.
    ring.push('a'.repeat(1000))
    expect(ring.lines()).toEqual(['a'.repeat(1000)])
    ring.push('next')
    expect(ring.lines()).toEqual(['a'.repeat(1000), 'next'])
    // Lines take their exact UTF-8 size: this one does not fit beside the long one, which goes.
    const more = 'one more line, longer than what the long one leaves of the ring'
    ring.push(more)
    expect(ring.lines()).toEqual(['next', more])
  })

  it.each([
    ['one chunk', 8 * 1024, 200],
    ['chunks of 1 KiB, few lines', 1024, 7]
  ])(
    'keeps pre-encoded lines as if pushed as strings, in order with them, within both bounds (%s)',
    (_name, chunkBytes, maxLines) => {
      const random = seededRandom(23)
      const heard: string[] = []
      const maxBytes = 8 * 1024
      const ring = new LineRing({
        maxLines,
        maxBytes,
        chunkBytes,
        onEncoded: (bytes, lines) => {
          const text = bytes.toString('utf8').split('\n')
          expect(text).toHaveLength(lines)
          heard.push(...text)
        }
      })
      const pushed: string[] = []
      let seq = 0
      for (let round = 0; round < 300; round++) {
        // A string line, then a run of lines from bytes, one of them now and then longer than a chunk.
        const single = randomLine(random, seq)
        ring.push(single)
        pushed.push(single)
        const members = Array.from({ length: Math.floor(random() * 12) }, (_, index) =>
          random() < 0.02
            ? `"long":"${'€'.repeat(chunkBytes)}"`
            : `"m":${JSON.stringify(randomLine(random, index))}`
        )
        const encoded = members.map((member) => Buffer.from(member))
        const ends: number[] = []
        for (const piece of encoded) ends.push((ends.at(-1) ?? 0) + piece.length)
        // The run starts one member in, as a batch split around a violation does.
        const from = members.length > 0 ? 1 : 0
        members
          .slice(from)
          .forEach((member, index) => pushed.push(`{"kind":"k",${member},"seq":${seq + index},"ts":9}`))
        for (let index = from; index < members.length; index++)
          ring.pushParts(
            Buffer.from('{"kind":"k",'),
            encoded[index] as Buffer,
            seq + index - from,
            Buffer.from(',"ts":9}')
          )
        seq += members.length - from
        const kept = ring.lines()
        expect(kept).toEqual(pushed.slice(pushed.length - kept.length))
        expect(kept.length).toBeLessThanOrEqual(maxLines)
        expect(bytesOf(kept)).toBeLessThanOrEqual(maxBytes)
        if (Buffer.byteLength(pushed.at(-1) as string) <= chunkBytes) expect(kept.length).toBeGreaterThan(0)
      }
      ring.flush()
      expect(heard).toEqual(pushed)
    }
  )

  it('rejects bounds it cannot honour, with the bound named', () => {
    expect(() => new LineRing({ maxLines: 0, maxBytes: 4096 })).toThrow(/maxLines/)
    expect(() => new LineRing({ maxLines: 10, maxBytes: 10 })).toThrow(/maxBytes/)
  })
})
