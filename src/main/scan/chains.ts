import type { ChainStep, ScanChain } from '../../shared/scanReport'
import type { Frame, ImportEdge } from './execution'

/**
 * Shortest import paths from entry files to a module: one breadth-first walk backwards from the module over the
 * import edges gives, for every file that loads it, the next file on its shortest path.
 */
export class ImportPaths {
  private readonly importers = new Map<string, ImportEdge[]>()
  private readonly towards = new Map<string, Map<string, ImportEdge | null>>()

  constructor(edges: readonly ImportEdge[]) {
    for (const edge of edges) {
      const list = this.importers.get(edge.to)
      if (list) list.push(edge)
      else this.importers.set(edge.to, [edge])
    }
  }

  /** The steps from `entry` to `target` (entry first, target last), or null when the entry never loads it. */
  path(entry: string, target: string): ChainStep[] | null {
    const next = this.walkTo(target)
    if (!next.has(entry)) return null
    const steps: ChainStep[] = [{ kind: 'entry', file: entry, line: null }]
    for (let edge = next.get(entry); edge; edge = next.get(edge.to))
      steps.push({ kind: 'import', file: edge.to, line: edge.line })
    return steps
  }

  private walkTo(target: string): Map<string, ImportEdge | null> {
    const cached = this.towards.get(target)
    if (cached) return cached
    const next = new Map<string, ImportEdge | null>([[target, null]])
    const queue = [target]
    for (let index = 0; index < queue.length; index++) {
      const file = queue[index]!
      for (const edge of this.importers.get(file) ?? []) {
        if (next.has(edge.from)) continue
        next.set(edge.from, edge)
        queue.push(edge.from)
      }
    }
    this.towards.set(target, next)
    return next
  }
}

/** A chain's tail: the calls that led into the function holding the finding, then the finding. */
export function callSteps(frames: readonly Frame[], file: string, line: number): ChainStep[] {
  return [
    ...frames.map((frame): ChainStep => ({
      kind: 'call',
      file: frame.file,
      line: frame.line,
      name: frame.name
    })),
    { kind: 'finding', file, line }
  ]
}

/** Shortest first, then by entry, so output is stable. */
export function sortChains(chains: ScanChain[]): ScanChain[] {
  return chains.sort((a, b) => a.steps.length - b.steps.length || a.entry.localeCompare(b.entry))
}
