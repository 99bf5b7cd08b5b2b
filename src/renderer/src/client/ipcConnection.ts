import { commandReplySchema } from '../../../shared/controlFrames'
import type { Command, CommandReply, InspectorClient, Push } from '../../../shared/inspectorApi'
import { pushSchema } from '../../../shared/inspectorApi'
import type { ConnectionState, InspectorConnection } from './connection'

/**
 * Wraps the preload's `window.inspector`. IPC cannot drop, so the status is always open; replies and pushes are still
 * zod-checked because the renderer trusts nothing that crosses a process boundary.
 */
export function createIpcConnection(preload: InspectorClient): InspectorConnection {
  const state: ConnectionState = { status: 'open', problem: null }
  const client: InspectorClient = {
    async send(command: Command): Promise<CommandReply> {
      const parsed = commandReplySchema.safeParse(await preload.send(command))
      if (parsed.success) return parsed.data
      return { ok: false, error: { message: `Malformed reply to ${command.cmd}: ${parsed.error.message}` } }
    },
    subscribe(listener: (push: Push) => void): () => void {
      return preload.subscribe((raw) => {
        const parsed = pushSchema.safeParse(raw)
        if (parsed.success) listener(parsed.data)
        else console.error('Dropped a malformed push from the preload', parsed.error.issues)
      })
    }
  }
  return {
    transport: 'ipc',
    client,
    getState: () => state,
    onState: () => () => undefined,
    close: () => undefined
  }
}
