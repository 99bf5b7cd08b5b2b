import ELK from 'elkjs/lib/elk.bundled.js'

export interface LayoutSpec {
  direction: 'RIGHT' | 'DOWN'
  nodes: { id: string; width: number; height: number }[]
  edges: { id: string; source: string; target: string }[]
}

export type Positions = Record<string, { x: number; y: number }>

// The bundled build runs in this thread (no worker, nothing for the CSP to allow); our graphs have a few hundred
// nodes at most, which lays out in milliseconds.
const elk = new ELK()

/** Positions from ELK's layered algorithm: every graph in the UI is laid out, none is hand-placed. */
export async function layoutWithElk(spec: LayoutSpec): Promise<Positions> {
  const result = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': spec.direction,
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
      'elk.spacing.nodeNode': '28',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.edgeRouting': 'SPLINES'
    },
    children: spec.nodes.map((node) => ({ ...node })),
    edges: spec.edges.map((edge) => ({ id: edge.id, sources: [edge.source], targets: [edge.target] }))
  })
  const positions: Positions = {}
  for (const child of result.children ?? []) positions[child.id] = { x: child.x ?? 0, y: child.y ?? 0 }
  return positions
}
