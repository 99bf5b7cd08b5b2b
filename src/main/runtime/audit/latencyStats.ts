/** Collects latency samples in a growable typed array (8 bytes a sample) and answers percentiles. */
export class LatencyStats {
  private samples = new Float64Array(1024)
  private length = 0

  add(value: number): void {
    if (this.length === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2)
      grown.set(this.samples)
      this.samples = grown
    }
    this.samples[this.length++] = value
  }

  get count(): number {
    return this.length
  }

  /** Nearest-rank percentile, p in [0, 100]; null when there is no sample. */
  percentile(p: number): number | null {
    if (this.length === 0) return null
    const sorted = this.samples.slice(0, this.length).sort()
    const rank = Math.min(this.length - 1, Math.max(0, Math.ceil((p / 100) * this.length) - 1))
    return sorted[rank] ?? null
  }
}
