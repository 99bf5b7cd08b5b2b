import WebSocket from 'ws'
import { preciseNow } from '../../runtime/agents/agentWebSocketBridge'
import { handshakeRefusedMessage } from '../handshakeRefusal'
import type { ConnectionPlan } from '../userPlan'
import {
  errorBeforeReady,
  type ConnectionEvents,
  type OpenOptions,
  type TargetConnection
} from './targetConnection'

/** Largest frame a simulated user accepts from a target; a larger one closes that user's socket with 1009. */
export const TARGET_MAX_PAYLOAD_BYTES = 16 * 1024 * 1024

/**
 * A plain WebSocket connection (a real ws client): headers, cookies, subprotocols and TLS as the target file
 * says, the auth message first if any, then ready on open or on the ready frame. Rejects with what went wrong
 * and what to check: the server unreachable, the handshake refused (with its HTTP status and body), a close
 * before ready, or the connect timeout.
 */
export function openWebSocket(
  plan: ConnectionPlan,
  options: OpenOptions,
  events: ConnectionEvents
): Promise<TargetConnection> {
  return new Promise((resolve, reject) => {
    let socket: WebSocket
    try {
      const headers = { ...plan.headers, ...(options.cookie === null ? {} : { Cookie: options.cookie }) }
      socket = new WebSocket(plan.url, plan.subprotocols, {
        headers,
        perMessageDeflate: false,
        maxPayload: TARGET_MAX_PAYLOAD_BYTES,
        handshakeTimeout: options.timeoutMs,
        ...(options.tls.ca === undefined ? {} : { ca: options.tls.ca }),
        rejectUnauthorized: options.tls.rejectUnauthorized
      })
    } catch (error) {
      reject(
        new Error(`cannot open ${plan.displayUrl}: ${error instanceof Error ? error.message : String(error)}`)
      )
      return
    }
    const connection = new WsConnection(socket, plan)
    let ready = false
    const waitingFor = options.isReadyFrame ? 'its ready frame (ready.type)' : 'the socket to open'
    const settle = (error: Error | null): void => {
      if (ready) return
      clearTimeout(timer)
      if (error) {
        socket.terminate()
        reject(error)
      } else {
        ready = true
        connection.startHeartbeat()
        resolve(connection)
      }
    }
    const timer = setTimeout(() => {
      const within = `within ${options.timeoutMs} ms (timeouts.connectMs)`
      settle(
        new Error(
          socket.readyState === WebSocket.CONNECTING
            ? `no answer to the WebSocket handshake ${within} at ${plan.displayUrl}; is the url right, and does the server answer WebSocket upgrades there?`
            : `no ready frame (ready.type) ${within} at ${plan.displayUrl}, though the socket opened`
        )
      )
    }, options.timeoutMs)
    socket.on('unexpected-response', (_request, response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => (body = (body + chunk.toString()).slice(0, 500)))
      response.on('end', () =>
        settle(
          new Error(
            handshakeRefusedMessage(response.statusCode, response.headers['content-type'], body, {
              headers: plan.headers,
              cookie: options.cookie,
              displayUrl: plan.displayUrl,
              subprotocols: plan.subprotocols
            })
          )
        )
      )
    })
    socket.on('error', (error) => {
      const code = (error as NodeJS.ErrnoException).code
      settle(new Error(`cannot reach ${plan.displayUrl}: ${error.message}${connectHint(code)}`))
    })
    socket.on('open', () => {
      if (plan.authMessage !== null) socket.send(plan.authMessage)
      if (!options.isReadyFrame) settle(null)
    })
    socket.on('message', (data: WebSocket.RawData) => {
      const receivedAt = preciseNow()
      // ws hands over a Buffer (binaryType 'nodebuffer'): decoded in place, not copied first.
      const text = Buffer.isBuffer(data)
        ? data.toString()
        : Array.isArray(data)
          ? Buffer.concat(data).toString()
          : Buffer.from(data).toString()
      events.onFrame(text, receivedAt)
      if (!ready && options.isReadyFrame?.(text)) settle(null)
      else if (!ready && options.isReadyFrame && options.isErrorFrame?.(text))
        settle(new Error(errorBeforeReady('its ready frame (ready.type)', text)))
    })
    socket.on('close', (code, reason) => {
      connection.stopHeartbeat()
      const why = reason.toString()
      if (!ready)
        settle(new Error(`closed by the server with ${code}${why ? ` '${why}'` : ''} before ${waitingFor}`))
      else events.onClose(code, why, connection.closing)
    })
  })
}

/** What to check when a socket cannot reach its server at all, or its certificate is refused. */
export function connectHint(code: string | undefined): string {
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH')
    return '; is the server running, and is url (or --url) right?'
  if (
    code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
    code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    code === 'ERR_TLS_CERT_ALTNAME_INVALID'
  )
    return '; give the certificate authority in tls.ca (or, for a local self-signed certificate, "tls": {"insecure": true})'
  return ''
}

class WsConnection implements TargetConnection {
  closing = false
  private heartbeat: NodeJS.Timeout | null = null

  constructor(
    private readonly socket: WebSocket,
    private readonly plan: ConnectionPlan
  ) {}

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN
  }

  send(text: string): void {
    if (this.isOpen) this.socket.send(text)
  }

  emit(): Promise<void> {
    return Promise.reject(new Error('emit is a Socket.IO step; this target speaks plain WebSocket'))
  }

  async close(): Promise<void> {
    // ws reports a close only once the TCP connection ends, after the server's close frame: a socket no longer open
    // when we get here was closed by the server, and its close stays the server's.
    if (this.socket.readyState === WebSocket.OPEN) this.closing = true
    this.stopHeartbeat()
    if (this.socket.readyState === WebSocket.CLOSED) return
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()))
    this.socket.close(1000, 'session inspector done')
    const cutOff = setTimeout(() => this.socket.terminate(), 2_000)
    await closed
    clearTimeout(cutOff)
  }

  startHeartbeat(): void {
    const beat = this.plan.heartbeat
    if (!beat) return
    this.heartbeat = setInterval(() => this.send(beat.text), beat.everyMs)
    this.heartbeat.unref()
  }

  stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat)
    this.heartbeat = null
  }
}
