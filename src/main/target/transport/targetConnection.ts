import type { JsonValue } from '../jsonValue'
import type { TlsPlan } from '../userPlan'

/** What a connection reports: every frame it receives as text, and its close once it was open. */
export interface ConnectionEvents {
  onFrame(text: string, receivedAt: number): void
  /** The connection closed after it was ready; `byUs` when we closed it. */
  onClose(code: number, reason: string, byUs: boolean): void
}

export interface OpenOptions {
  timeoutMs: number
  /** Wait for a frame of this type before the connection counts as ready. */
  isReadyFrame: ((text: string) => boolean) | null
  /** A server error frame (events.errorType) while waiting for the ready frame: the server refused the user. */
  isErrorFrame: ((text: string) => boolean) | null
  tls: TlsPlan
  /** The user's cookies as a Cookie header, if any. */
  cookie: string | null
}

/** One open socket of a simulated user, whatever the protocol. */
export interface TargetConnection {
  readonly isOpen: boolean
  /** Sends a text frame as it is (plain WebSocket). */
  send(text: string): void
  /**
   * Emits a Socket.IO event; with `ackMs`, resolves once acknowledged, else at once. `onAck` gets the
   * acknowledgement's arguments as it arrives, before any frame that follows it on the socket is reported.
   */
  emit(
    event: string,
    args: JsonValue[],
    ackMs: number | null,
    onAck?: (reply: unknown[]) => void
  ): Promise<void>
  /** Closes and waits for the close (bounded). */
  close(): Promise<void>
}

const ERROR_EXCERPT_CHARS = 200

/** A user refused by an error frame while connecting: the frame says why, so it is shown (cut to a line's length). */
export function errorBeforeReady(waitingFor: string, text: string): string {
  const shown = text.length > ERROR_EXCERPT_CHARS ? `${text.slice(0, ERROR_EXCERPT_CHARS)}…` : text
  return `the server sent an error frame (events.errorType) before ${waitingFor}: ${shown}`
}
