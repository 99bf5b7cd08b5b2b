/** mulberry32: a tiny, fast PRNG. Seeded runs must produce identical ids, so nothing here touches Math.random. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function randomHex(random: () => number, length: number): string {
  let out = ''
  while (out.length < length)
    out += Math.floor(random() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0')
  return out.slice(0, length)
}
