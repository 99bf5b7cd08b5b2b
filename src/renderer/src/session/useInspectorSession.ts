import { useCallback, useEffect, useState, useSyncExternalStore } from 'react'
import type { Command, SendCommand } from '../../../shared/inspectorApi'
import type { ConnectionState, InspectorConnection } from '../client/connection'
import type { InspectorState } from '../store'
import { LiveProjection } from './liveProjection'

export interface InspectorSession {
  state: InspectorState | null
  connection: ConnectionState
  transport: InspectorConnection['transport']
  /** Why the last `hello` failed, if it did; the UI cannot show anything without one. */
  helloError: string | null
  send: SendCommand
  /** Commands the views sent and not answered yet (hello aside): the shell's `data-commands-in-flight`. */
  commandsInFlight: number
  setLaneCapacity(capacity: number): void
  slowUsers: Readonly<Record<string, boolean>>
  setUserSlow(userId: string, slow: boolean): void
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
  const [slowUsers, setSlowUsers] = useState<Readonly<Record<string, boolean>>>({})
  const [commandsInFlight, setCommandsInFlight] = useState(0)
  // Every command goes through here, so scripts can wait on the shell's data-busy instead of guessing.
  const tracked: SendCommand = useCallback(
    async <C extends Command>(command: C) => {
      setCommandsInFlight((count) => count + 1)
      try {
        return await connection.client.send(command)
      } finally {
        // The host pushes a command's events before its reply (start_runs' run_started): fold them before the
        // command stops counting, so data-busy never reads idle between the reply and the runs.
        projection.settle()
        setCommandsInFlight((count) => count - 1)
      }
    },
    [connection, projection]
  )

  useEffect(() => {
    return connection.client.subscribe((push) => {
      if (push.type === 'events') projection.enqueue(push.events)
      else if (push.type === 'summary') projection.applySummary(push.summary)
      else {
        // A new runtime: its users are new, and none of them is slow (ids repeat with the same seed).
        setSlowUsers({})
        projection.resetFrom(push.hello, { dropQueued: true })
      }
    })
  }, [connection, projection])

  useEffect(() => () => projection.dispose(), [projection])

  useEffect(() => {
    if (connectionState.status !== 'open') return
    let cancelled = false
    void connection.client.send({ cmd: 'hello' }).then((reply) => {
      if (cancelled) return
      if (!reply.ok) return setHelloError(`hello failed: ${reply.error.message}`)
      setHelloError(null)
      projection.resetFrom(reply.result, { dropQueued: false })
    })
    return () => {
      cancelled = true
    }
  }, [connection, projection, connectionState.status])

  const setLaneCapacity = useCallback(
    (capacity: number) => projection.setLaneCapacity(capacity),
    [projection]
  )
  const setUserSlow = useCallback(
    (userId: string, slow: boolean) => setSlowUsers((current) => ({ ...current, [userId]: slow })),
    []
  )
  return {
    state,
    connection: connectionState,
    transport: connection.transport,
    helloError,
    send: tracked,
    commandsInFlight,
    setLaneCapacity,
    slowUsers,
    setUserSlow
  }
}
