import { MarkerType, type Edge } from '@xyflow/react'
import type { LayoutSpec, Positions } from '../../components/graph/elkLayout'
import type { InspectorState } from '../../store'
import { FACTORY_NODE_SIZE, MANAGER_NODE_SIZE, USER_NODE_SIZE, type FactoryFlowNode } from './FactoryNodes'

const ROOT = '__factory__'
const userNodeId = (userId: string): string => `user:${userId}`

/** The factory's shape only (what ELK needs); counters are left out so they never trigger a re-layout. */
export function factoryLayoutSpec(state: InspectorState): LayoutSpec {
  const spec: LayoutSpec = { direction: 'RIGHT', nodes: [{ id: ROOT, ...FACTORY_NODE_SIZE }], edges: [] }
  for (const manager of Object.values(state.factory.managers)) {
    spec.nodes.push({ id: manager.manager_id, ...MANAGER_NODE_SIZE })
    spec.edges.push({ id: `${ROOT}->${manager.manager_id}`, source: ROOT, target: manager.manager_id })
    for (const [connectionId, userId] of Object.entries(manager.connections)) {
      spec.nodes.push({ id: userNodeId(userId), ...USER_NODE_SIZE })
      spec.edges.push({
        id: `${manager.manager_id}->${connectionId}`,
        source: manager.manager_id,
        target: userNodeId(userId)
      })
    }
  }
  // A user attached to two managers would appear twice; keep the first.
  const seen = new Set<string>()
  spec.nodes = spec.nodes.filter((node) => (seen.has(node.id) ? false : (seen.add(node.id), true)))
  return spec
}

export function factoryFlow(
  state: InspectorState,
  positions: Positions
): { nodes: FactoryFlowNode[]; edges: Edge[] } {
  const at = (id: string): { x: number; y: number } => positions[id] ?? { x: 0, y: 0 }
  const managers = Object.values(state.factory.managers)
  const { created, closed, rejected } = state.factory
  const nodes: FactoryFlowNode[] = [
    {
      id: ROOT,
      type: 'factory',
      position: at(ROOT),
      data: { created, closed, rejected, open: managers.length }
    }
  ]
  const edges: Edge[] = []
  const placedUsers = new Set<string>()
  for (const manager of managers) {
    const shared = manager.mode === 'shared'
    const users = Object.values(manager.connections)
    nodes.push({
      id: manager.manager_id,
      type: 'manager',
      position: at(manager.manager_id),
      data: { ...manager, users }
    })
    edges.push({
      id: `${ROOT}->${manager.manager_id}`,
      source: ROOT,
      target: manager.manager_id,
      className: shared ? 'edge-danger' : ''
    })
    for (const [connectionId, userId] of Object.entries(manager.connections)) {
      if (!placedUsers.has(userId)) {
        placedUsers.add(userId)
        const violations = state.users[userId]?.violationsReceived ?? 0
        nodes.push({
          id: userNodeId(userId),
          type: 'user',
          position: at(userNodeId(userId)),
          data: { user_id: userId, shared, violations }
        })
      }
      edges.push({
        id: `${manager.manager_id}->${connectionId}`,
        source: manager.manager_id,
        target: userNodeId(userId),
        className: shared ? 'edge-danger' : '',
        animated: shared,
        markerEnd: { type: MarkerType.ArrowClosed }
      })
    }
  }
  return { nodes, edges }
}
