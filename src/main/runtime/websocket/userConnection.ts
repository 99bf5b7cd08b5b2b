import type { ContextIds } from '../../../shared/context'

/** One user's socket as the managers see it: an id, the context it was opened with, and a way to send text. */
export interface UserConnection {
  readonly id: string
  readonly context: ContextIds
  /**
   * Sends an already serialized frame (text, or its UTF-8, which the connection copies before returning); a manager
   * serializes each event once, whatever its fan-out.
   */
  send(frame: string | Uint8Array): void
}
