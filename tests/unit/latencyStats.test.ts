import { describe, expect, it } from 'vitest'
import { LATENCY_HIGHEST_MS, LatencyStats } from '../../src/main/runtime/audit/latencyStats'
import { seededRandom } from '../../src/main/runtime/ids/seededRandom'

const random = seededRandom

/** Log-normal delivery latencies in ms, to the µs: mostly around 0.3 ms, with a tail into hundreds of ms. */
function skewedLatencies(count: number, seed: number): number[] {
  const next = random(seed)
  return Array.from({ length: count }, () => {
    const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())
    return Math.round(Math.exp(Math.log(0.3) + 1.4 * normal) * 1_000) / 1_000
  })
}

describe('LatencyStats (bounded histogram)', () => {
  it('answers percentiles within 0.1% of the exact ones from sorting every sample', () => {
    const samples = skewedLatencies(100_000, 13)
    const stats = new LatencyStats()
    for (const value of samples) stats.add(value)
    const sorted = [...samples].sort((a, b) => a - b)
    expect(stats.count).toBe(samples.length)
    // p × n / 100 is a whole number for each of these: the nearest rank has no rounding to argue about.
    for (const p of [1, 10, 50, 90, 99, 99.9, 99.99, 100]) {
      const exact = sorted[Math.round((p * samples.length) / 100) - 1] as number
      const answer = stats.percentile(p) as number
      expect(Math.abs(answer - exact), `p${p}: ${answer} against ${exact}`).toBeLessThanOrEqual(exact * 0.001)
    }
    // The tail really is skewed, so the relative bound was tested across magnitudes.
    expect(sorted[99_899]).toBeGreaterThan(30 * (sorted[49_999] as number))
  })

  it('is exact below 2.048 ms', () => {
    const stats = new LatencyStats()
    for (const value of [0, 0.001, 0.25, 0.25, 1.999, 2.047]) stats.add(value)
    expect(stats.percentile(50)).toBe(0.25)
    expect(stats.percentile(100)).toBe(2.047)
    expect(stats.percentile(0)).toBe(0)
  })

  it('keeps the same memory however many samples it takes, and clamps above its range', () => {
    const stats = new LatencyStats()
    expect(stats.percentile(99)).toBeNull()
    stats.add(0.5)
    const footprint = stats.footprintBytes
    expect(footprint).toBeLessThan(256 * 1024)
    const next = random(7)
    for (let i = 0; i < 1_000_000; i++) stats.add(Math.round(next() * 50_000_000) / 1_000)
    stats.add(LATENCY_HIGHEST_MS * 10)
    expect(stats.count).toBe(1_000_002)
    expect(stats.footprintBytes).toBe(footprint)
    expect(stats.percentile(100)).toBe(LATENCY_HIGHEST_MS)
  })
})
