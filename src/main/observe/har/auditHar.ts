import type { RelayObserver } from '../relayObserver'
import type { HarConnection } from './readHar'

type Step =
  | { at: number; order: number; kind: 'open'; connection: HarConnection }
  | { at: number; order: number; kind: 'message'; connection: HarConnection; index: number }
  | { at: number; order: number; kind: 'close'; connection: HarConnection }

/**
 * Tells `observer` what the HAR's WebSockets did, as a relay would have: every connection opens, their messages
 * follow in time order across connections (so a canary is learned before another user receives it), and each
 * closes after its last message. Within a connection the HAR's order is kept whatever its clock says.
 */
export function replayHar(connections: readonly HarConnection[], observer: RelayObserver): void {
  const steps: Step[] = []
  let order = 0
  for (const connection of connections) {
    let at = connection.openedAt
    steps.push({ at, order: order++, kind: 'open', connection })
    connection.messages.forEach((message, index) => {
      at = Math.max(at, message.at)
      steps.push({ at, order: order++, kind: 'message', connection, index })
    })
    steps.push({ at, order: order++, kind: 'close', connection })
  }
  // Closes go after everything at the same time, so a connection is still open for a message sent as it ended.
  const rank = (step: Step): number => (step.kind === 'close' ? 1 : 0)
  steps.sort((a, b) => a.at - b.at || rank(a) - rank(b) || a.order - b.order)
  const ids = new Map<HarConnection, string>()
  for (const step of steps) {
    const { connection } = step
    if (step.kind === 'open') ids.set(connection, observer.connectionOpened(connection.request, step.at))
    const id = ids.get(connection) as string
    if (step.kind === 'message') {
      const message = connection.messages[step.index]
      if (message) observer.message(id, message.direction, message.data, message.isBinary, step.at)
    } else if (step.kind === 'close') observer.connectionClosed(id, 1000, '', 'client', step.at)
  }
}
