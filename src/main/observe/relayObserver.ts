/**
 * The seam between observe mode's two halves: the relay (a proxy between real clients and a real backend, or a
 * HAR read back) says what crossed it, and the observer attributes connections to users and judges every frame.
 * The relay never waits on the observer and never lets it change what is relayed.
 */

/** The client's upgrade request, as the backend saw it. */
export interface ObservedRequest {
  /** Path and query as the client sent them, e.g. "/socket?room=1". */
  readonly url: string
  /** The upgrade request's headers, names in lower case (as Node's IncomingMessage.headers). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
}

export type FrameDirection = 'client_to_server' | 'server_to_client'

/** Who ended a connection: the client, the backend, or the relay itself (a bound, an upstream failure). */
export type ClosedBy = 'client' | 'server' | 'proxy'

export interface RelayObserver {
  /** A client's WebSocket was accepted upstream; returns the id the relay uses for it from then on. */
  connectionOpened(request: ObservedRequest, at: number): string
  /** One whole message (fragments joined, compression undone) in the order it was relayed. */
  message(connectionId: string, direction: FrameDirection, data: Buffer, isBinary: boolean, at: number): void
  connectionClosed(connectionId: string, code: number, reason: string, closedBy: ClosedBy, at: number): void
}
