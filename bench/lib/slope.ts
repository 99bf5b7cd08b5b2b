/** Least-squares slope of y over x: how much y grows per unit of x. Null with fewer than two distinct x. */
export function slopeOf(points: ReadonlyArray<{ x: number; y: number }>): number | null {
  const n = points.length
  if (n < 2) return null
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n
  let covariance = 0
  let variance = 0
  for (const p of points) {
    covariance += (p.x - meanX) * (p.y - meanY)
    variance += (p.x - meanX) ** 2
  }
  return variance === 0 ? null : covariance / variance
}
