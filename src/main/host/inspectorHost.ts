import type { Command, CommandReply, PushBytes } from '../../shared/inspectorApi'

/**
 * The main-process side of the InspectorApi: what every transport (Electron IPC, web-mode WebSocket) adapts.
 * Transports validate raw input with `commandSchema` before calling `handle`; the host never sees unparsed data.
 */
export interface InspectorHost {
  handle(command: Command): Promise<CommandReply>
  /**
   * Returns its own unsubscribe. Pushes arrive already batched, as UTF-8 JSON that transports send as is. A push's
   * bytes are valid only during the call: a transport that sends later copies them.
   */
  subscribe(listener: (push: PushBytes) => void): () => void
  /**
   * The `hello` result as JSON text, for a host that can write it without building objects (a long history is
   * text on the bus already). Transports that send text use it instead of `handle({ cmd: 'hello' })`.
   */
  helloText?(): string
}
