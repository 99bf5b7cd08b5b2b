import { Handle, Position, type Node, type NodeProps } from '@xyflow/react'
import type { ContextIds } from '../../../../shared/context'

export const FACTORY_NODE_SIZE = { width: 210, height: 74 }
export const MANAGER_NODE_SIZE = { width: 250, height: 96 }
export const USER_NODE_SIZE = { width: 200, height: 40 }

export type FactoryRootData = { created: number; closed: number; rejected: number; open: number }
export type ManagerData = {
  manager_id: string
  mode: 'isolated' | 'shared'
  context: ContextIds | null
  caller: string
  users: string[]
  emitted: number
  delivered: number
}
export type UserData = { user_id: string; shared: boolean; violations: number }

export type FactoryFlowNode =
  Node<FactoryRootData, 'factory'> | Node<ManagerData, 'manager'> | Node<UserData, 'user'>

export function FactoryRootNode({ data }: NodeProps<Node<FactoryRootData, 'factory'>>): React.JSX.Element {
  return (
    <div className="flow-node factory-root" data-testid="factory-root" style={FACTORY_NODE_SIZE}>
      <div className="flow-node-title">WebSocketManagerFactory</div>
      <div className="kv">
        created <b>{data.created}</b> · closed <b>{data.closed}</b> · open <b>{data.open}</b>
      </div>
      <div className={data.rejected > 0 ? 'kv text-danger' : 'kv'}>
        rejected <b>{data.rejected}</b>
      </div>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  )
}

export function ManagerNode({ data }: NodeProps<Node<ManagerData, 'manager'>>): React.JSX.Element {
  const shared = data.mode === 'shared'
  return (
    <div
      className={shared ? 'flow-node manager-node is-shared' : 'flow-node manager-node'}
      data-testid={shared ? 'factory-shared-node' : `factory-node-${data.manager_id}`}
      data-manager-id={data.manager_id}
      data-mode={data.mode}
      data-connections={data.users.length}
      style={MANAGER_NODE_SIZE}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="flow-node-title">
        {shared ? '⚠ SHARED manager' : 'IsolatedWebSocketManager'}{' '}
        <span className="mono muted">{data.manager_id}</span>
      </div>
      {data.context !== null ? (
        <div className="ids mono">
          <div>user_id {data.context.user_id}</div>
          <div>thread_id {data.context.thread_id}</div>
          <div>run_id {data.context.run_id}</div>
        </div>
      ) : (
        <div className="ids mono text-danger">no context · {data.users.length} users attached</div>
      )}
      <div className="kv">
        conns <b>{data.users.length}</b> · emitted <b>{data.emitted}</b> · delivered <b>{data.delivered}</b>
      </div>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  )
}

export function UserNode({ data }: NodeProps<Node<UserData, 'user'>>): React.JSX.Element {
  return (
    <div
      className={data.shared ? 'flow-node user-node is-shared' : 'flow-node user-node'}
      data-testid={`factory-user-${data.user_id}`}
      data-shared={data.shared}
      style={USER_NODE_SIZE}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <span className="mono">{data.user_id}</span>
      {data.violations > 0 && <span className="badge badge-danger">{data.violations} leaked in</span>}
    </div>
  )
}

export const factoryNodeTypes = { factory: FactoryRootNode, manager: ManagerNode, user: UserNode }
