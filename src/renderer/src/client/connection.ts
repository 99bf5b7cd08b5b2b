import type { InspectorClient } from '../../../shared/inspectorApi'

/** `refused`: the server does not accept this page's token; nothing will reconnect until the page is reopened. */
export type ConnectionStatus = 'connecting' | 'open' | 'closed' | 'refused'

export interface ConnectionState {
  status: ConnectionStatus
  /** Why the last connection attempt ended or a frame was dropped; shown in the banner. */
  problem: string | null
}

/** A transport plus what the UI needs to show about it. The rest of the UI only ever sees `client`. */
export interface InspectorConnection {
  readonly transport: 'ipc' | 'websocket'
  readonly client: InspectorClient
  getState(): ConnectionState
  /** Returns its own unsubscribe. */
  onState(listener: (state: ConnectionState) => void): () => void
  close(): void
}

/** The reply a command gets when no transport can carry it, so callers handle one shape. */
export function notConnectedReply(detail: string): { ok: false; error: { message: string } } {
  return {
    ok: false,
    error: { message: `Not connected to the inspector runtime (${detail}). Wait for it to reconnect.` }
  }
}
