import { preciseNow } from '../runtime/agents/agentWebSocketBridge'
import type { Receiver } from '../runtime/audit/isolationAuditor'
import { targetConnectionId } from './connectionIds'
import type { PreparedUser } from './prepareTarget'
import { captureValues } from './transport/captureValues'
import { CookieJar } from './transport/cookieJar'
import { runHttpStep } from './transport/httpStep'
import { openSocketIo } from './transport/socketIoConnection'
import type { TargetConnection } from './transport/targetConnection'
import { openWebSocket } from './transport/wsConnection'
import type { Captured } from './userPlan'

export { TARGET_MAX_PAYLOAD_BYTES } from './transport/wsConnection'

export interface TargetUserHandlers {
  /** Every frame of every connection (0-based), before and after the user is ready, as text, with its arrival. */
  onFrame(user: TargetUser, connection: number, text: string, receivedAt: number): void
  /** A connection closed after the user was connected; `byUs` when we closed it. */
  onClose(user: TargetUser, connection: number, code: number, reason: string, byUs: boolean): void
  /** A step of run `run` (1-based) failed (an HTTP error, no acknowledgement): the rest of that run is not sent. */
  onStepFailed?(user: TargetUser, run: number, message: string): void
  /** Text about to be sent for run `run` on the first connection (a send step, or an emit's JSON args). */
  onSent?(user: TargetUser, run: number, text: string): void
  /** Values a step of run `run` captured, merged with those before it (login's included). */
  onCaptured?(user: TargetUser, run: number, captured: Captured): void
}

export interface TargetConnectOptions {
  timeoutMs: number
  /** Per HTTP step and acknowledgement. */
  ackMs: number
  /** Wait for a frame of this type before a connection counts as ready. */
  isReadyFrame: ((text: string) => boolean) | null
  /** Whether a frame is a server error frame (events.errorType): before the ready frame, the user is refused. */
  isErrorFrame: ((text: string) => boolean) | null
}

/** Why a run's message never went out: the socket it would go on was closed by the server. */
export const NOT_SENT_CLOSED = 'not sent: the server had closed the connection'

/**
 * A simulated user of a target backend: makes its login requests (keeping cookies, capturing values), opens its
 * connections (plain WebSocket or Socket.IO, one per tab), reports every frame they receive, and does the steps
 * of each run it starts on its first connection.
 */
export class TargetUser {
  /** When each run's first step went out, in the order runs were started, for latency. */
  readonly sentAt: number[] = []
  /** Runs whose steps stopped at a failed step: nobody waits for their events. */
  abandonedRuns = 0
  /** Who receives on each connection, as the auditor names it: made once, not per frame. */
  readonly receivers: readonly Receiver[]

  private constructor(
    readonly spec: PreparedUser,
    private readonly connections: TargetConnection[],
    private readonly jar: CookieJar,
    private readonly loginCaptured: Captured,
    private readonly options: TargetConnectOptions,
    private readonly handlers: TargetUserHandlers
  ) {
    this.receivers = Array.from({ length: spec.connections }, (_, connection) => ({
      user_id: spec.userId,
      connection_id: targetConnectionId(spec, connection)
    }))
  }

  get userId(): string {
    return this.spec.userId
  }

  /**
   * Logs in and opens every connection; rejects with the first thing that went wrong (naming the login step, or
   * saying what to check about the socket), after closing whatever had opened.
   */
  static async connect(
    spec: PreparedUser,
    options: TargetConnectOptions,
    handlers: TargetUserHandlers
  ): Promise<TargetUser> {
    const jar = new CookieJar(spec.cookies)
    let captured: Captured = {}
    for (const login of spec.login) {
      const values = await runHttpStep(login(captured), { jar, tls: spec.tls, timeoutMs: options.ackMs })
      captured = { ...captured, ...values }
    }
    const plan = spec.connection(captured)
    const connections: TargetConnection[] = []
    const user = new TargetUser(spec, connections, jar, captured, options, handlers)
    const open = plan.protocol === 'socket.io' ? openSocketIo : openWebSocket
    const opening = Array.from({ length: spec.connections }, (_, at) =>
      open(
        plan,
        {
          timeoutMs: options.timeoutMs,
          isReadyFrame: options.isReadyFrame,
          isErrorFrame: options.isErrorFrame,
          tls: spec.tls,
          cookie: jar.header()
        },
        // Methods, not arrows given a name: under tsx each named closure costs a defineProperty and ~150 bytes,
        // per connection of every user.
        {
          // Frames may arrive before every connection is ready (a welcome): they are reported all the same.
          onFrame(text, receivedAt) {
            handlers.onFrame(user, at, text, receivedAt)
          },
          onClose(code, reason, byUs) {
            handlers.onClose(user, at, code, reason, byUs)
          }
        }
      )
    )
    const outcomes = await Promise.allSettled(opening)
    for (const outcome of outcomes) if (outcome.status === 'fulfilled') connections.push(outcome.value)
    const failed = outcomes.find((outcome) => outcome.status === 'rejected')
    if (failed) {
      await Promise.all(connections.map((connection) => connection.close()))
      const reason = failed.reason instanceof Error ? failed.reason.message : String(failed.reason)
      throw new Error(spec.connections > 1 ? `connection ${outcomes.indexOf(failed) + 1}: ${reason}` : reason)
    }
    return user
  }

  /** Whether every connection is still open. */
  get isOpen(): boolean {
    return this.connections.every((connection) => connection.isOpen)
  }

  /**
   * Does the steps of run `run` (1-based), in order, on the first connection: a step waits for the one before it
   * (an HTTP reply, an acknowledgement), and what it captures is there for the steps after it. A failed step is
   * reported and ends that run's steps; the other runs go on.
   */
  async startRun(run: number): Promise<void> {
    const first = this.connections[0]
    if (!first) return
    this.sentAt.push(preciseNow())
    // A run whose socket is gone before it starts, or before a step that uses the socket, was never started as the
    // file says: it is incomplete, not a run whose events the backend lost.
    if (!first.isOpen) return this.abandon(run, NOT_SENT_CLOSED)
    let captured = this.loginCaptured
    for (let index = 0; index < this.spec.steps; index++) {
      try {
        // Rendered here: a captured value may make a url invalid, which fails this run only.
        const step = this.spec.step(run, index, captured)
        if (!first.isOpen && step.kind !== 'http') throw new Error(`${step.field}: ${NOT_SENT_CLOSED}`)
        if (step.kind === 'send') {
          this.handlers.onSent?.(this, run, step.text)
          first.send(step.text)
          continue
        }
        if (step.kind === 'emit') {
          this.handlers.onSent?.(this, run, JSON.stringify(step.args))
          const capture = step.capture
          // Captured in the acknowledgement's callback, so the values are known before the frames that follow it.
          await first.emit(step.event, step.args, step.ack ? this.options.ackMs : null, (reply) => {
            if (Object.keys(capture).length === 0) return
            captured = this.captured(
              run,
              captured,
              captureValues(step.field, capture, reply.length === 1 ? reply[0] : reply, 'acknowledgement')
            )
          })
          continue
        }
        const values = await runHttpStep(step.request, {
          jar: this.jar,
          tls: this.spec.tls,
          timeoutMs: this.options.ackMs
        })
        if (Object.keys(values).length > 0) captured = this.captured(run, captured, values)
      } catch (error) {
        this.abandon(run, error instanceof Error ? error.message : String(error))
        return
      }
    }
  }

  /** Runs begun so far (startRun called), numbered 1 to this. */
  get runsBegun(): number {
    return this.sentAt.length
  }

  /** Counts run `run` as stopped for `reason` (a failed step, or never sent): incomplete, nobody waits for it. */
  abandon(run: number, reason: string): void {
    this.abandonedRuns += 1
    this.handlers.onStepFailed?.(this, run, reason)
  }

  /** What run `run` has captured with `values` added, told to the handlers. */
  private captured(run: number, before: Captured, values: Captured): Captured {
    const captured = { ...before, ...values }
    this.handlers.onCaptured?.(this, run, captured)
    return captured
  }

  /** Closes every connection and waits for the closes. */
  async close(): Promise<void> {
    await Promise.all(this.connections.map((connection) => connection.close()))
  }
}
