import type { Command, CommandReply, PushBytes } from '../../shared/inspectorApi'
import type { RecordedSoFar } from '../runtime/inspection/recorder'

/** Every command but hello, which a host answers as text (helloText). */
export type HostCommand = Exclude<Command, { cmd: 'hello' }>

/**
 * The main-process side of the InspectorApi: what every transport (Electron IPC, web-mode WebSocket) adapts, both
 * through answerCommand. Transports validate raw input with `commandSchema` before calling; the host never sees
 * unparsed data.
 */
export interface InspectorHost {
  handle(command: HostCommand): Promise<CommandReply>
  /**
   * The `hello` result as JSON text (a long history is text on the bus already, and is never parsed into objects
   * to be serialized again).
   */
  helloText(): string
  /**
   * Returns its own unsubscribe. Pushes arrive already batched, as UTF-8 JSON that transports send as is. A push's
   * bytes are valid only during the call: a transport that sends later copies them.
   */
  subscribe(listener: (push: PushBytes) => void): () => void
  /**
   * The session's recording so far, every line on disk (see SessionSpool): the file a transport saves or streams
   * after `recording_export`. Absent on a host that records nothing.
   */
  exportRecording?(): Promise<RecordedSoFar>
}
