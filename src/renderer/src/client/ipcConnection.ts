import { commandReplySchema } from '../../../shared/controlFrames'
import { checkReply, type ReplyTo } from '../../../shared/commandResults'
import type { Command, InspectorBridge, InspectorClient, Push } from '../../../shared/inspectorApi'
import { pushSchema } from '../../../shared/inspectorApi'
import { parseJson } from '../../../shared/json'
import type { ConnectionState, InspectorConnection } from './connection'

const utf8 = new TextDecoder()

/**
 * Wraps the preload's `window.inspector`. IPC cannot drop, so the status is always open; replies and pushes are still
 * zod-checked because the renderer trusts nothing that crosses a process boundary. Replies arrive as JSON text and
 * pushes as UTF-8 JSON, parsed here, so the rest of the UI sees the same `InspectorClient` as over the web-mode
 * WebSocket.
 */
export function createIpcConnection(preload: InspectorBridge): InspectorConnection {
  const state: ConnectionState = { status: 'open', problem: null }
  const client: InspectorClient = {
    async send<C extends Command>(command: C): Promise<ReplyTo<C['cmd']>> {
      const text: unknown = await preload.send(command)
      const json = typeof text === 'string' ? parseJson(text) : { ok: false as const, error: 'not JSON text' }
      const parsed = json.ok ? commandReplySchema.safeParse(json.value) : null
      if (parsed?.success) return checkReply<C['cmd']>(command.cmd, parsed.data)
      const problem = parsed ? parsed.error.message : json.ok ? '' : json.error
      return { ok: false, error: { message: `Malformed reply to ${command.cmd}: ${problem}` } }
    },
    subscribe(listener: (push: Push) => void): () => void {
      return preload.subscribe((bytes: unknown) => {
        if (!(bytes instanceof Uint8Array))
          return console.error('Dropped a push from the preload that is not UTF-8 bytes')
        const json = parseJson(utf8.decode(bytes))
        if (!json.ok) return console.error(`Dropped a push from the preload that is not JSON: ${json.error}`)
        const parsed = pushSchema.safeParse(json.value)
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
