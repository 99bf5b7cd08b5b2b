import WebSocket from 'ws'
import { preciseNow } from '../runtime/agents/agentWebSocketBridge'
import type { PreparedUser } from './prepareTarget'

/** Largest frame a simulated user accepts from a target; a larger one closes that user's socket with 1009. */
export const TARGET_MAX_PAYLOAD_BYTES = 16 * 1024 * 1024

export interface TargetUserHandlers {
  /** Every frame, before and after the user is ready, as text, with the time it arrived. */
  onFrame(user: TargetUser, text: string, receivedAt: number): void
  /** The socket closed after the user was connected; `byUs` when we closed it. */
  onClose(user: TargetUser, code: number, reason: string, byUs: boolean): void
}

export interface TargetConnectOptions {
  timeoutMs: number
  /** Wait for a frame of this type before the user counts as connected. */
  isReadyFrame: ((text: string) => boolean) | null
}

/**
 * A simulated user of a target backend: a real ws client that authenticates as the target file says, reports
 * every frame it receives, and sends its start messages and heartbeats.
 */
export class TargetUser {
  private heartbeat: NodeJS.Timeout | null = null
  private closing = false
  readonly sentAt: number[] = []

  private constructor(
    readonly spec: PreparedUser,
    private readonly socket: WebSocket
  ) {}

  get userId(): string {
    return this.spec.userId
  }

  /**
   * Opens the socket, sends the auth message if any, and waits for readiness. Rejects with what went wrong and
   * what to check: the server unreachable, the handshake refused (with its HTTP status and body), a close before
   * ready, or the connect timeout.
   */
  static connect(
    spec: PreparedUser,
    options: TargetConnectOptions,
    handlers: TargetUserHandlers
  ): Promise<TargetUser> {
    return new Promise((resolve, reject) => {
      let socket: WebSocket
      try {
        socket = new WebSocket(spec.url, {
          headers: spec.headers,
          perMessageDeflate: false,
          maxPayload: TARGET_MAX_PAYLOAD_BYTES,
          handshakeTimeout: options.timeoutMs
        })
      } catch (error) {
        reject(
          new Error(
            `cannot open ${spec.displayUrl}: ${error instanceof Error ? error.message : String(error)}`
          )
        )
        return
      }
      const user = new TargetUser(spec, socket)
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
          user.startHeartbeat()
          resolve(user)
        }
      }
      const timer = setTimeout(
        () =>
          settle(
            new Error(
              `no ${waitingFor} within ${options.timeoutMs} ms (timeouts.connectMs) at ${spec.displayUrl}`
            )
          ),
        options.timeoutMs
      )
      socket.on('unexpected-response', (_request, response) => {
        let body = ''
        response.on('data', (chunk: Buffer) => (body = (body + chunk.toString()).slice(0, 500)))
        response.on('end', () =>
          settle(
            new Error(
              `handshake refused with HTTP ${response.statusCode}${body.trim() ? `: ${body.trim()}` : ''}; check auth and users in the target file`
            )
          )
        )
      })
      socket.on('error', (error) => {
        const code = (error as NodeJS.ErrnoException).code
        const hint =
          code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH'
            ? `; is the server running, and is url (or --url) right?`
            : ''
        settle(new Error(`cannot reach ${spec.displayUrl}: ${error.message}${hint}`))
      })
      socket.on('open', () => {
        if (spec.authMessage !== null) socket.send(spec.authMessage)
        if (!options.isReadyFrame) settle(null)
      })
      socket.on('message', (data: WebSocket.RawData) => {
        const receivedAt = preciseNow()
        const text = Array.isArray(data)
          ? Buffer.concat(data).toString()
          : Buffer.from(data as ArrayBuffer).toString()
        handlers.onFrame(user, text, receivedAt)
        if (!ready && options.isReadyFrame?.(text)) settle(null)
      })
      socket.on('close', (code, reason) => {
        user.stopHeartbeat()
        const why = reason.toString()
        if (!ready)
          settle(new Error(`closed by the server with ${code}${why ? ` '${why}'` : ''} before ${waitingFor}`))
        else handlers.onClose(user, code, why, user.closing)
      })
    })
  }

  /** Sends the start message of run `run` (1-based) and notes when, for latency. */
  startRun(run: number): void {
    if (this.socket.readyState !== WebSocket.OPEN) return
    this.sentAt.push(preciseNow())
    this.socket.send(this.spec.startMessage(run))
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN
  }

  /** Closes with 1000 and waits for the close (bounded: a server that never answers is cut off). */
  async close(): Promise<void> {
    this.closing = true
    this.stopHeartbeat()
    if (this.socket.readyState === WebSocket.CLOSED) return
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()))
    this.socket.close(1000, 'session inspector done')
    const cutOff = setTimeout(() => this.socket.terminate(), 2_000)
    await closed
    clearTimeout(cutOff)
  }

  private startHeartbeat(): void {
    const beat = this.spec.heartbeat
    if (!beat) return
    this.heartbeat = setInterval(() => {
      if (this.socket.readyState === WebSocket.OPEN) this.socket.send(beat.text)
    }, beat.everyMs)
    this.heartbeat.unref()
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat)
    this.heartbeat = null
  }
}
