import WebSocket from 'ws'
import type { ContextIds } from '../../../shared/context'
import { parseJson } from '../../../shared/json'
import { serverFrameSchema } from '../../../shared/runtimeFrames'
import { preciseNow } from '../agents/agentWebSocketBridge'
import type { DeliveredEvent, Receiver } from '../audit/isolationAuditor'

/**
 * How every run_accepted frame starts (the runtime writes `type` first). The user does nothing with one, so it is
 * recognized by these bytes and skipped, rather than decoded, parsed and checked: under load it is a sixth of the
 * frames a user receives.
 */
const RUN_ACCEPTED = Buffer.from('{"type":"run_accepted",')

const isRunAccepted = (data: WebSocket.RawData): boolean =>
  Buffer.isBuffer(data) &&
  data.length > RUN_ACCEPTED.length &&
  RUN_ACCEPTED.compare(data, 0, RUN_ACCEPTED.length) === 0

export type DeliverySink = (receiver: Receiver, event: DeliveredEvent, receivedAt: number) => void

/** How the runtime answered one start_run: accepted (its run_started is on the bus by then) or refused. */
export type RunAnswer = { accepted: true } | { accepted: false; message: string }

export interface SimulatedUserEvents {
  /** An error frame from the runtime (a refused run, a bad frame). */
  onServerError?: (userId: string, code: string, message: string) => void
  onClose?: (userId: string, code: number, reason: string) => void
}

/** A simulated user: a real ws client that connects as one user and reports every event it receives. */
export class SimulatedUser {
  readonly errors: Array<{ code: string; message: string }> = []
  private closeInfo: { code: number; reason: string } | null = null
  private readonly closed: Promise<{ code: number; reason: string }>
  private reading = true
  /** start_run frames sent, and answered (run_accepted or a run_failed error): the runtime answers them in order. */
  private runsAsked = 0
  private runsAnswered = 0
  /** Callers waiting on one start_run's answer, by its place in that order; only runs someone waits on. */
  private readonly awaitingAnswers: Array<{ ask: number; resolve: (answer: RunAnswer) => void }> = []

  private constructor(
    readonly userId: string,
    private readonly socket: WebSocket,
    readonly connectionId: string,
    readonly context: ContextIds,
    closed: Promise<{ code: number; reason: string }>
  ) {
    this.closed = closed
    void closed.then((info) => {
      this.closeInfo = info
      const message = `the connection closed (${info.code}) before the runtime answered`
      for (const waiter of this.awaitingAnswers.splice(0)) waiter.resolve({ accepted: false, message })
    })
  }

  /**
   * Connects and waits for the runtime's welcome. Rejects with the runtime's own words when the handshake is
   * refused, the manager cannot be created, or nothing arrives within `timeoutMs`.
   */
  static connect(
    url: string,
    userId: string,
    sink: DeliverySink,
    events: SimulatedUserEvents = {},
    timeoutMs = 10_000
  ): Promise<SimulatedUser> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { perMessageDeflate: false })
      let user: SimulatedUser | null = null
      let resolveClosed: (info: { code: number; reason: string }) => void = () => {}
      const closed = new Promise<{ code: number; reason: string }>((done) => (resolveClosed = done))
      const timer = setTimeout(() => {
        socket.terminate()
        reject(new Error(`user ${userId}: no welcome from the runtime within ${timeoutMs} ms`))
      }, timeoutMs)
      const fail = (message: string): void => {
        clearTimeout(timer)
        reject(new Error(`user ${userId}: ${message}`))
      }
      socket.on('unexpected-response', (_request, response) => {
        let body = ''
        response.on('data', (chunk: Buffer) => (body += chunk.toString()))
        response.on('end', () => fail(`handshake refused with HTTP ${response.statusCode}: ${body.trim()}`))
      })
      socket.on('error', (error) => {
        if (!user) fail(`connection failed: ${error.message}`)
      })
      socket.on('close', (code, reason) => {
        const info = { code, reason: reason.toString() }
        resolveClosed(info)
        events.onClose?.(userId, info.code, info.reason)
        if (!user) {
          const last = lastError
          fail(
            last
              ? `${last.message} (closed with ${code})`
              : `closed with ${code} ${info.reason} before welcome`
          )
        }
      })
      let lastError: { code: string; message: string } | null = null
      socket.on('message', (data) => {
        const receivedAt = preciseNow()
        if (isRunAccepted(data)) return user?.runAnswered({ accepted: true })
        const parsed = parseJson(data.toString())
        const frame = parsed.ok ? serverFrameSchema.safeParse(parsed.value) : null
        if (!frame?.success) return
        const value = frame.data
        switch (value.type) {
          case 'welcome':
            clearTimeout(timer)
            user = new SimulatedUser(userId, socket, value.connection_id, value.context, closed)
            resolve(user)
            return
          case 'agent_event':
            if (user) sink({ user_id: userId, connection_id: user.connectionId }, value.event, receivedAt)
            return
          case 'error':
            lastError = { code: value.code, message: value.message }
            user?.errors.push(lastError)
            if (value.code === 'run_failed') user?.runAnswered({ accepted: false, message: value.message })
            events.onServerError?.(userId, value.code, value.message)
            return
          default:
            return
        }
      })
    })
  }

  startRun(message?: string): void {
    if (!this.isOpen) return
    this.runsAsked += 1
    this.sendRaw(
      JSON.stringify(message === undefined ? { type: 'start_run' } : { type: 'start_run', message })
    )
  }

  /** Starts a run and resolves with the runtime's answer to it (refused at once when the socket is not open). */
  startRunAnswered(): Promise<RunAnswer> {
    if (!this.isOpen) return Promise.resolve({ accepted: false, message: 'the user is not connected' })
    this.startRun()
    return new Promise((resolve) => this.awaitingAnswers.push({ ask: this.runsAsked, resolve }))
  }

  /** A user that is not reading (setReading(false)) cannot hear its answers until it reads again. */
  get isReading(): boolean {
    return this.reading
  }

  private runAnswered(answer: RunAnswer): void {
    this.runsAnswered += 1
    if (this.awaitingAnswers[0]?.ask === this.runsAnswered) this.awaitingAnswers.shift()?.resolve(answer)
  }

  /** Sends any text, valid or not: tests use it to send malformed frames. */
  sendRaw(text: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(text)
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN
  }

  get closeStatus(): { code: number; reason: string } | null {
    return this.closeInfo
  }

  /** Stops reading from the socket (a slow consumer); the runtime's send buffer then grows until it cuts us off. */
  setReading(reading: boolean): void {
    this.reading = reading
    const raw = (this.socket as unknown as { _socket?: { pause(): void; resume(): void } })._socket
    if (reading) raw?.resume()
    else raw?.pause()
  }

  async close(): Promise<{ code: number; reason: string }> {
    // A paused socket never reads the server's close frame, and close() would wait out ws's 30 s timer.
    this.setReading(true)
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING)
      this.socket.close(1000, 'user left')
    return this.closed
  }

  /** Drops the TCP connection without a close handshake, as a killed process would. */
  kill(): void {
    this.socket.terminate()
  }
}
