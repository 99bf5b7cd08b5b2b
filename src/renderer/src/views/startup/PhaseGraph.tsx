import { MarkerType, type Edge } from '@xyflow/react'
import { ReadOnlyFlow } from '../../components/graph/ReadOnlyFlow'
import type { MachineGraph } from '../../../../shared/machineGraph'
import { useElkLayout } from '../../components/graph/useElkLayout'
import { currentPhase, ringToArray, type InspectorState } from '../../store'
import { PHASE_NODE_WIDTH, PhaseNode, phaseNodeHeight, type PhaseFlowNode } from './PhaseNode'

const nodeTypes = { phase: PhaseNode }

/** Contracts grouped by the state the machine was in when they ran (readiness, unless the stream says otherwise). */
function contractsByState(state: InspectorState): Record<string, { name: string; ok: boolean }[]> {
  const grouped: Record<string, { name: string; ok: boolean }[]> = {}
  for (const result of Object.values(state.contracts)) {
    if (result === undefined) continue
    const where = result.phase ?? 'readiness'
    ;(grouped[where] ??= []).push({ name: result.contract, ok: result.ok })
  }
  return grouped
}

export function PhaseGraph({
  machine,
  state
}: {
  machine: MachineGraph
  state: InspectorState
}): React.JSX.Element {
  const contracts = contractsByState(state)
  const spec = {
    direction: 'DOWN' as const,
    nodes: machine.states.map((s) => ({
      id: s.id,
      width: PHASE_NODE_WIDTH,
      height: phaseNodeHeight(contracts[s.id]?.length ?? 0)
    })),
    edges: machine.transitions.map((t) => ({ id: edgeId(t), source: t.source, target: t.target }))
  }
  const { positions, key } = useElkLayout(spec)

  const active = currentPhase(state)
  const history = ringToArray(state.phase.history)
  const visited = new Set<string>(history.map((step) => step.to))
  const traversed = new Set(history.map((step) => `${step.from ?? ''}->${step.to}`))
  const failedPhase = state.phase.failure?.phase ?? null

  const nodes: PhaseFlowNode[] = machine.states.map((s) => ({
    id: s.id,
    type: 'phase',
    position: positions?.[s.id] ?? { x: 0, y: 0 },
    data: {
      label: s.label,
      stateId: s.id,
      active: s.id === active,
      visited: visited.has(s.id),
      failedHere: s.id === failedPhase,
      final: s.type === 'final',
      contracts: contracts[s.id] ?? []
    }
  }))
  const edges: Edge[] = machine.transitions.map((t) => {
    const walked = traversed.has(`${t.source}->${t.target}`)
    const toFailure = t.target === 'failed'
    const className = [walked ? 'edge-walked' : '', toFailure ? 'edge-failure' : ''].join(' ')
    return {
      id: edgeId(t),
      source: t.source,
      target: t.target,
      label: t.event,
      className,
      animated: walked && t.target === active,
      markerEnd: { type: MarkerType.ArrowClosed }
    }
  })

  const ready = positions !== null
  return (
    <div className="graph" data-testid="phase-graph" data-layout={ready ? 'done' : 'pending'}>
      {ready && <ReadOnlyFlow key={key} nodes={nodes} edges={edges} nodeTypes={nodeTypes} />}
    </div>
  )
}

function edgeId(t: MachineGraph['transitions'][number]): string {
  return `${t.source}--${t.event}--${t.target}`
}
