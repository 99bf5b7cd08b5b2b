import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import { io, type Socket } from 'socket.io-client'
import { preciseNow } from '../../runtime/agents/agentWebSocketBridge'
import type { JsonValue } from '../jsonValue'
import type { ConnectionPlan } from '../userPlan'
import {
  errorBeforeReady,
  type ConnectionEvents,
  type OpenOptions,
  type TargetConnection
} from './targetConnection'
import { connectHint } from './wsConnection'

/** Socket.IO's reasons for a disconnect, as WebSocket-style close codes for the report. */
const CLOSE_CODES: Readonly<Record<string, number>> = {
  'io server disconnect': 1000,
  'io client disconnect': 1000,
  'ping timeout': 1001,
  'transport close': 1006,
  'transport error': 1006,
  'parse error': 1007
}

/**
 * A Socket.IO v4 connection with the real client (socket.io-client): its own Engine.IO connection (never
 * multiplexed with another user's), no reconnection, the handshake auth payload, headers and cookies, path and
 * namespace. Engine.IO and Socket.IO control packets never reach the frame reader; each event the server emits
 * does, as the JSON text `{"event": name, "args": [...]}`, so events.* paths read "/event" and "/args/0/...".
 */
export function openSocketIo(
  plan: ConnectionPlan,
  options: OpenOptions,
  events: ConnectionEvents
): Promise<TargetConnection> {
  const socketIo = plan.socketIo
  if (!socketIo) return Promise.reject(new Error('openSocketIo needs a Socket.IO plan'))
  return new Promise((resolve, reject) => {
    const origin = new URL(plan.url)
    const target = `${origin.protocol}//${origin.host}${socketIo.namespace === '/' ? '' : socketIo.namespace}${origin.search}`
    const extraHeaders = { ...plan.headers, ...(options.cookie === null ? {} : { Cookie: options.cookie }) }
    // An agent of its own, destroyed when the connection fails or closes: a long-polling request that the server
    // never answers (a wrong path on a server with no other handler) is not aborted by disconnect(), and kept the
    // process alive after the report.
    const secure = origin.protocol === 'https:' || origin.protocol === 'wss:'
    const agent = secure
      ? new HttpsAgent({
          ...(options.tls.ca === undefined ? {} : { ca: options.tls.ca }),
          rejectUnauthorized: options.tls.rejectUnauthorized
        })
      : new HttpAgent()
    const socket = io(target, {
      // engine.io-client types `agent` for browsers (string | boolean); in Node it is the requests' http.Agent.
      agent: agent as unknown as boolean,
      path: socketIo.path,
      transports: socketIo.transports,
      forceNew: true,
      reconnection: false,
      timeout: options.timeoutMs,
      ...(socketIo.auth === undefined ? {} : { auth: socketIo.auth }),
      query: socketIo.query,
      extraHeaders,
      ...(options.tls.ca === undefined ? {} : { ca: options.tls.ca }),
      rejectUnauthorized: options.tls.rejectUnauthorized
    })
    const connection = new SocketIoConnection(socket, agent)
    let ready = false
    let settled = false
    const waitingFor = options.isReadyFrame ? 'its ready event (ready.type)' : 'the Socket.IO connect'
    const settle = (error: Error | null): void => {
      // Once: disconnecting a refused socket emits its disconnect at once, which must not replace the reason.
      if (settled) return
      settled = true
      clearTimeout(timer)
      if (error) {
        socket.disconnect()
        agent.destroy()
        reject(error)
      } else {
        ready = true
        resolve(connection)
      }
    }
    const timer = setTimeout(
      () =>
        settle(
          new Error(
            `no ${options.isReadyFrame ? 'ready event (ready.type)' : 'Socket.IO connect'} within ${options.timeoutMs} ms (timeouts.connectMs) at ${plan.displayUrl}`
          )
        ),
      options.timeoutMs
    )
    const connectTo = `Socket.IO connect to ${plan.displayUrl} (namespace ${socketIo.namespace}, path ${socketIo.path})`
    socket.on('connect_error', (error: Error & { data?: unknown; description?: unknown }) => {
      // The client's own connect timeout: nothing answered the handshake (a long-polling request to a path the
      // server does not serve can stay unanswered).
      if (error.message === 'timeout' && error.description === undefined && error.data === undefined) {
        settle(
          new Error(
            `${connectTo} failed: no handshake reply within ${options.timeoutMs} ms (timeouts.connectMs); is socketio.path (and the url) right?`
          )
        )
        return
      }
      // A transport error has a description (the socket's error, or an HTTP status); a middleware refusal has none.
      const outcome = error.description === undefined ? 'refused' : 'failed'
      settle(new Error(`${connectTo} ${outcome}: ${describe(error)}`))
    })
    socket.on('connect', () => {
      if (!options.isReadyFrame) settle(null)
    })
    socket.onAny((event: string, ...args: unknown[]) => {
      const receivedAt = preciseNow()
      // A server that asks for an acknowledgement passes a function last: not part of the event.
      const text = JSON.stringify({ event, args: args.filter((arg) => typeof arg !== 'function') })
      events.onFrame(text, receivedAt)
      if (!ready && options.isReadyFrame?.(text)) settle(null)
      else if (!ready && options.isReadyFrame && options.isErrorFrame?.(text))
        settle(new Error(errorBeforeReady('its ready event (ready.type)', text)))
    })
    socket.on('disconnect', (reason: string) => {
      if (!ready) settle(new Error(`disconnected (${reason}) before ${waitingFor}`))
      else events.onClose(CLOSE_CODES[reason] ?? 1006, reason, connection.closing)
    })
  })
}

/** What a connect_error says: the middleware's message and data, or the transport's cause and what to check. */
function describe(error: Error & { data?: unknown; description?: unknown }): string {
  const data = error.data === undefined ? '' : ` ${JSON.stringify(error.data)}`
  // xhr polling reports status 0 when nothing answered at all.
  const status =
    typeof error.description === 'number'
      ? error.description > 0
        ? ` (HTTP ${error.description})`
        : ' (no HTTP reply; is the server running, and is url (or --url) right?)'
      : ''
  const cause = causeOf(error.description)
  const code = (cause as NodeJS.ErrnoException | null)?.code
  const detail = cause ? `: ${cause.message}` : ''
  // A Socket.IO server hangs up an upgrade, or answers 404 to polling, on a path it does not serve.
  const wrongPath = (typeof error.description === 'number' && error.description > 0) || code === 'ECONNRESET'
  const hint = connectHint(code) || (wrongPath ? '; is socketio.path (and the url) right?' : '')
  return `${error.message}${status}${data}${detail}${hint}`
}

/** The underlying error of a transport failure: an Error, or the ws error event that carries one. */
function causeOf(description: unknown): Error | null {
  if (description instanceof Error) return description
  if (description !== null && typeof description === 'object' && 'error' in description)
    return description.error instanceof Error ? description.error : null
  return null
}

class SocketIoConnection implements TargetConnection {
  closing = false

  constructor(
    private readonly socket: Socket,
    private readonly agent: HttpAgent
  ) {}

  get isOpen(): boolean {
    return this.socket.connected
  }

  send(): void {
    throw new Error('a Socket.IO user emits events; use an emit step')
  }

  async emit(
    event: string,
    args: JsonValue[],
    ackMs: number | null,
    onAck?: (reply: unknown[]) => void
  ): Promise<void> {
    if (ackMs === null) {
      this.socket.emit(event, ...args)
      return
    }
    return new Promise((resolve, reject) => {
      this.socket.timeout(ackMs).emit(event, ...args, (error: Error | null, ...reply: unknown[]) => {
        if (error) {
          reject(new Error(`no acknowledgement of '${event}' within ${ackMs} ms (timeouts.ackMs)`))
          return
        }
        try {
          onAck?.(reply)
          resolve()
        } catch (failure) {
          reject(failure instanceof Error ? failure : new Error(String(failure)))
        }
      })
    })
  }

  async close(): Promise<void> {
    this.closing = true
    if (this.socket.connected) {
      const closed = new Promise<void>((resolve) => this.socket.once('disconnect', () => resolve()))
      this.socket.disconnect()
      await closed
    } else this.socket.disconnect()
    this.agent.destroy()
  }
}
