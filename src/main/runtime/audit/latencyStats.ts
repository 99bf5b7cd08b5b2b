import { Float64Histogram } from 'hdr-histogram-js'

/** The range kept: 1 µs to one hour. A slow user that stops reading can hold deliveries for minutes. */
export const LATENCY_HIGHEST_MS = 3_600_000
/** 3 significant digits: any answer is within 0.1% of the exact percentile (exact below 2.048 ms). */
const SIGNIFICANT_DIGITS = 3
const MICROS_PER_MS = 1_000

/**
 * Latency percentiles in bounded memory: an HDR histogram of whole microseconds (values are in ms, to the µs, as
 * every caller rounds them), whose counts array is allocated once (about 185 KiB) however many samples it takes.
 * A value above LATENCY_HIGHEST_MS is clamped to it, not resized for: a percentile that reads one hour means
 * "an hour or more".
 */
export class LatencyStats {
  private readonly histogram = new Float64Histogram(1, LATENCY_HIGHEST_MS * MICROS_PER_MS, SIGNIFICANT_DIGITS)

  add(valueMs: number): void {
    const micros = Math.round(valueMs * MICROS_PER_MS)
    if (!(micros >= 0)) return
    this.histogram.recordValue(Math.min(micros, LATENCY_HIGHEST_MS * MICROS_PER_MS))
  }

  get count(): number {
    return this.histogram.totalCount
  }

  /** Bytes the histogram holds: fixed when it is made. */
  get footprintBytes(): number {
    return this.histogram.estimatedFootprintInBytes
  }

  /**
   * Nearest-rank percentile in ms, p in [0, 100], within 0.1% of the exact one (never above the largest sample);
   * null when there is no sample.
   */
  percentile(p: number): number | null {
    if (this.histogram.totalCount === 0) return null
    const micros = Math.min(this.histogram.getValueAtPercentile(p), this.histogram.maxValue)
    return micros / MICROS_PER_MS
  }
}
