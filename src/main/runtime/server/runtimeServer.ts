import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { RUNTIME_MAX_PAYLOAD_BYTES } from '../../../shared/runtimeFrames'
import { FrameWriter } from './frameWriter'
import { verifyRuntimeUpgrade } from './upgradeAuth'

export interface RuntimeServerOptions {
  /** 0 picks a free port. Default 0. */
  port?: number
  /** Per-launch secret every simulated user must present. Default: 32 random bytes, hex. */
  token?: string
  /** Largest inbound frame; bigger closes that socket with 1009. Default RUNTIME_MAX_PAYLOAD_BYTES (64 KiB). */
  maxPayload?: number
}

/**
 * Pending connections the kernel may queue (capped by net.core.somaxconn). Node's default, 511, overflows when a
 * thousand users connect at once, and every dropped SYN costs its client a one-second retransmit.
 */
const LISTEN_BACKLOG = 4_096

/** `writer` is the server's own: sessions send through it so that its sockets' frames share one writer. */
export type ConnectionListener = (socket: WebSocket, userId: string, writer: FrameWriter) => void

/** The runtime's WebSocket endpoint on 127.0.0.1. Authentication happens in `upgrade`, before any handshake. */
export class RuntimeServer {
  private ready = false
  private readonly sockets = new Set<WebSocket>()
  /** This server's frame writer: its queues and buffers belong to this server alone. */
  readonly writer = new FrameWriter()

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    readonly port: number,
    readonly token: string
  ) {}

  static async listen(
    onConnection: ConnectionListener,
    options: RuntimeServerOptions = {}
  ): Promise<RuntimeServer> {
    const token = options.token ?? randomBytes(32).toString('hex')
    const wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxPayload ?? RUNTIME_MAX_PAYLOAD_BYTES,
      perMessageDeflate: false
    })
    const http = createServer((_request, response) => {
      response
        .writeHead(426, { 'content-type': 'text/plain' })
        .end('Session Inspector runtime: connect with WebSocket at /ws\n')
    })
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject)
      http.listen(options.port ?? 0, '127.0.0.1', LISTEN_BACKLOG, () => resolve())
    })
    const address = http.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const server = new RuntimeServer(http, wss, port, token)
    http.on('upgrade', (request, socket, head) => server.upgrade(request, socket, head, onConnection))
    return server
  }

  /** Until READINESS passes, upgrades are refused with 503. */
  setReady(ready: boolean): void {
    this.ready = ready
  }

  get isReady(): boolean {
    return this.ready
  }

  userUrl(userId: string): string {
    return `ws://127.0.0.1:${this.port}/ws?token=${this.token}&user_id=${encodeURIComponent(userId)}`
  }

  get openSockets(): number {
    return this.sockets.size
  }

  /** Bytes queued in user space for every open socket: what slow consumers cost the process right now. */
  get bufferedBytes(): number {
    let total = 0
    for (const socket of this.sockets) total += this.writer.unsentBytes(socket)
    return total
  }

  /** Terminates every socket, then stops listening. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate()
    this.wss.close()
    await new Promise<void>((resolve) => this.http.close(() => resolve()))
  }

  /** Ends every connection as a crashed server would, but keeps listening (for restart-mid-run tests). */
  dropAllConnections(): void {
    for (const socket of this.sockets) socket.terminate()
  }

  /**
   * Restarts as a crashed and relaunched server would: every socket dropped without a close frame, the port
   * released, then listened on again (same port, same token). Returns how many connections were dropped.
   */
  async restart(): Promise<number> {
    const dropped = this.sockets.size
    this.dropAllConnections()
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve())
      this.http.closeAllConnections()
    })
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject)
      this.http.listen(this.port, '127.0.0.1', LISTEN_BACKLOG, () => {
        this.http.off('error', reject)
        resolve()
      })
    })
    return dropped
  }

  private upgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    onConnection: ConnectionListener
  ): void {
    socket.on('error', () => socket.destroy())
    const verdict = verifyRuntimeUpgrade(request, { token: this.token, port: this.port, ready: this.ready })
    if (!verdict.ok) {
      socket.end(
        `HTTP/1.1 ${verdict.status} Refused\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${verdict.reason}\n`
      )
      return
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      this.sockets.add(ws)
      ws.on('close', () => this.sockets.delete(ws))
      onConnection(ws, verdict.userId, this.writer)
    })
  }
}
