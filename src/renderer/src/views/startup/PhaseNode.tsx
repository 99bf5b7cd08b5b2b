import { Handle, Position, type Node, type NodeProps } from '@xyflow/react'

export type PhaseNodeData = {
  label: string
  stateId: string
  active: boolean
  visited: boolean
  failedHere: boolean
  final: boolean
  contracts: { name: string; ok: boolean }[]
}
export type PhaseFlowNode = Node<PhaseNodeData, 'phase'>

export const PHASE_NODE_WIDTH = 220
export function phaseNodeHeight(contracts: number): number {
  return 46 + contracts * 17
}

export function PhaseNode({ data }: NodeProps<PhaseFlowNode>): React.JSX.Element {
  const classes = ['phase-node']
  if (data.active) classes.push('is-active')
  if (data.visited) classes.push('is-visited')
  if (data.failedHere) classes.push('is-failed')
  if (data.stateId === 'failed') classes.push('is-failure-state')
  return (
    <div
      className={classes.join(' ')}
      data-testid={`phase-node-${data.stateId}`}
      data-active={data.active}
      data-visited={data.visited}
      data-failed={data.failedHere}
      style={{ width: PHASE_NODE_WIDTH, height: phaseNodeHeight(data.contracts.length) }}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="phase-node-title">
        <span>{data.label}</span>
        {data.active && <span className="badge badge-live">current</span>}
        {data.final && <span className="badge">final</span>}
      </div>
      {data.contracts.map((contract) => (
        <div key={contract.name} className={contract.ok ? 'contract-dot ok' : 'contract-dot fail'}>
          {contract.ok ? '✓' : '✗'} {contract.name}
        </div>
      ))}
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  )
}
