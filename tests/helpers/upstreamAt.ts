import { parseUpstream, type UpstreamTarget } from '../../src/main/observe/upstreamTarget'

/** The relay's upstream for a test backend on this port. */
export function upstreamAt(port: number): UpstreamTarget {
  const upstream = parseUpstream(`ws://127.0.0.1:${port}`)
  if (typeof upstream === 'string') throw new Error(upstream)
  return upstream
}
