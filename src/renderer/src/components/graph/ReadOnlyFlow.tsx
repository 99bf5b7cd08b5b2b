import { Background, Controls, ReactFlow, type Edge, type Node, type NodeTypes } from '@xyflow/react'

interface ReadOnlyFlowProps<N extends Node> {
  nodes: N[]
  edges: Edge[]
  nodeTypes: NodeTypes
  minZoom?: number
}

/** A laid-out graph to look at, not to edit: the one React Flow setup every graph view shares. */
export function ReadOnlyFlow<N extends Node>({ nodes, edges, nodeTypes, minZoom }: ReadOnlyFlowProps<N>) {
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      colorMode="dark"
      fitView
      {...(minZoom === undefined ? {} : { minZoom })}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      proOptions={{ hideAttribution: true }}
    >
      <Background gap={16} size={1} />
      <Controls showInteractive={false} />
    </ReactFlow>
  )
}
