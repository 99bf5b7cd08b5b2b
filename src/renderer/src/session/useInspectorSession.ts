import { useCallback, useEffect, useState, useSyncExternalStore } from 'react'
import type { Command, CommandReply } from '../../../shared/inspectorApi'
import { helloResultSchema } from '../../../shared/inspectorApi'
import type { ConnectionState, InspectorConnection } from '../client/connection'
import type { InspectorState } from '../store'
import { LiveProjection } from './liveProjection'

export interface InspectorSession {
  state: InspectorState | null
  connection: ConnectionState
  transport: InspectorConnection['transport']
  /** Why the last `hello` failed, if it did; the UI cannot show anything without one. */
  helloError: string | null
  send(command: Command): Promise<CommandReply>
  setLaneCapacity(capacity: number): void
}

/** Owns the projection for one connection: says hello whenever the transport (re)opens and folds every push. */
export function useInspectorSession(connection: InspectorConnection): InspectorSession {
  const [projection] = useState(() => new LiveProjection())
  const state = useSyncExternalStore(projection.subscribe, projection.getSnapshot)
  const subscribeConnection = useCallback(
    (onChange: () => void) => connection.onState(onChange),
    [connection]
  )
  const connectionState = useSyncExternalStore(subscribeConnection, connection.getState)
  const [helloError, setHelloError] = useState<string | null>(null)

  useEffect(() => {
    return connection.client.subscribe((push) => {
      if (push.type === 'events') projection.enqueue(push.events)
      else projection.resetFrom(push.hello, { dropQueued: true })
    })
  }, [connection, projection])

  useEffect(() => () => projection.dispose(), [projection])

  useEffect(() => {
    if (connectionState.status !== 'open') return
    let cancelled = false
    void connection.client.send({ cmd: 'hello' }).then((reply) => {
      if (cancelled) return
      if (!reply.ok) return setHelloError(`hello failed: ${reply.error.message}`)
      const hello = helloResultSchema.safeParse(reply.result)
      if (!hello.success) return setHelloError(`hello returned an unexpected shape: ${hello.error.message}`)
      setHelloError(null)
      projection.resetFrom(hello.data, { dropQueued: false })
    })
    return () => {
      cancelled = true
    }
  }, [connection, projection, connectionState.status])

  const send = useCallback((command: Command) => connection.client.send(command), [connection])
  const setLaneCapacity = useCallback(
    (capacity: number) => projection.setLaneCapacity(capacity),
    [projection]
  )
  return {
    state,
    connection: connectionState,
    transport: connection.transport,
    helloError,
    send,
    setLaneCapacity
  }
}
