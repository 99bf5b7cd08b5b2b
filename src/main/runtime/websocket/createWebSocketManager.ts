import { toErrorInfo } from '../errors'
import type { InspectionBus } from '../inspection/inspectionBus'
import type { IsolatedWebSocketManager } from './isolatedWebSocketManager'
import { bindCall, type PythonCall } from './pythonCall'
import type { WebSocketManagerFactory } from './webSocketManagerFactory'

/** `create_websocket_manager(user_context)`: the module-level entry to the factory that handlers call. */
export function createWebSocketManager(
  factory: WebSocketManagerFactory,
  bus: InspectionBus,
  call: PythonCall,
  caller: string
): IsolatedWebSocketManager {
  let bound: Record<string, unknown>
  try {
    bound = bindCall('create_websocket_manager', ['user_context'], call)
  } catch (error) {
    bus.emit({ kind: 'manager_rejected', caller, call: describeCall(call), error: toErrorInfo(error) })
    throw error
  }
  return factory.createManager(bound['user_context'], caller)
}

function describeCall(call: PythonCall): string {
  const parts = [
    ...call.args.map((value) => (value == null ? 'None' : 'user_context')),
    ...Object.keys(call.kwargs).map((name) => `${name}=${name}`)
  ]
  return `create_websocket_manager(${parts.join(', ')})`
}
