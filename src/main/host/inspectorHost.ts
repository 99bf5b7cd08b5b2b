import type { Command, CommandReply, PushText } from '../../shared/inspectorApi'

/**
 * The main-process side of the InspectorApi: what every transport (Electron IPC, web-mode WebSocket) adapts.
 * Transports validate raw input with `commandSchema` before calling `handle`; the host never sees unparsed data.
 */
export interface InspectorHost {
  handle(command: Command): Promise<CommandReply>
  /** Returns its own unsubscribe. Pushes arrive already batched, as JSON text that transports send as is. */
  subscribe(listener: (push: PushText) => void): () => void
  /**
   * The `hello` result as JSON text, for a host that can write it without building objects (a long history is
   * text on the bus already). Transports that send text use it instead of `handle({ cmd: 'hello' })`.
   */
  helloText?(): string
}
