import type { Socket } from 'node:net'
import { FrameTap } from './frameTap'
import type { InflateFailure } from './messageInflater'
import type { NegotiatedDeflate } from './negotiatedDeflate'
import type { OrderedDelivery } from './orderedDelivery'
import type { ClosedBy, FrameDirection, ObservedRequest, RelayObserver } from './relayObserver'
import type { RelayStats } from './relayStats'

/** What every relayed connection shares with the proxy. */
export interface RelayContext {
  readonly observer: RelayObserver
  readonly delivery: OrderedDelivery
  readonly stats: RelayStats
  readonly maxMessageBytes: number
}

/** RFC 6455 7.1.5: the connection closed without a close frame. */
const ABNORMAL_CLOSURE = 1006
/** Once one side has closed, how long the other may take to finish before the relay drops it. */
const CLOSE_GRACE_MS = 5_000

/**
 * One client joined to the upstream after its 101: bytes are piped both ways exactly as received, and each
 * direction's copy goes to a FrameTap whose messages reach the observer in relay order.
 */
export class RelayedConnection {
  readonly id: string
  /** Resolves once both sockets have closed and the observer's connectionClosed is queued. */
  readonly finished: Promise<void>
  private markFinished: () => void = () => {}
  private firstCloseFrame: { code: number; reason: string; by: ClosedBy } | null = null
  private firstToEnd: ClosedBy | null = null
  private socketsClosed = 0
  private readonly taps: FrameTap[] = []
  /** Directions already counted undecodable: a broken stream stays broken, and is counted once. */
  private readonly undecodable = new Set<FrameDirection>()

  constructor(
    private readonly context: RelayContext,
    request: ObservedRequest,
    private readonly client: Socket,
    private readonly upstream: Socket,
    deflate: NegotiatedDeflate | null,
    private readonly onFinished: (connection: RelayedConnection) => void
  ) {
    this.finished = new Promise((resolve) => (this.markFinished = resolve))
    this.id = context.observer.connectionOpened(request, Date.now())
    context.stats.connections += 1
    context.stats.open += 1
    for (const socket of [client, upstream]) {
      socket.setNoDelay(true)
      socket.setTimeout(0)
    }
    this.taps.push(
      this.pipe(
        client,
        upstream,
        'client_to_server',
        deflate && { noContextTakeover: deflate.clientNoContextTakeover }
      ),
      this.pipe(
        upstream,
        client,
        'server_to_client',
        deflate && { noContextTakeover: deflate.serverNoContextTakeover }
      )
    )
    this.whenEnded(client, upstream, 'client')
    this.whenEnded(upstream, client, 'server')
  }

  /** Relays bytes one side sent before the pipes were joined (read with the upgrade), through the same tap. */
  relayEarly(direction: FrameDirection, bytes: Buffer): void {
    if (bytes.length === 0) return
    const [to, tap] =
      direction === 'client_to_server' ? [this.upstream, this.taps[0]] : [this.client, this.taps[1]]
    this.context.stats.bytes[direction] += bytes.length
    to.write(bytes)
    tap?.push(bytes)
  }

  /** Ends both sides at once (the relay is stopping). */
  destroy(): void {
    this.firstToEnd ??= 'proxy'
    this.client.destroy()
    this.upstream.destroy()
  }

  private pipe(
    from: Socket,
    to: Socket,
    direction: FrameDirection,
    deflate: { noContextTakeover: boolean } | null
  ): FrameTap {
    const { delivery, stats } = this.context
    const tap = new FrameTap(
      {
        masked: direction === 'client_to_server',
        deflate,
        maxMessageBytes: this.context.maxMessageBytes,
        backlog: delivery,
        countFrame: () => (stats.frames[direction] += 1)
      },
      {
        message: (payload, isBinary) => this.message(direction, payload, isBinary),
        closeFrame: (code, reason) => {
          this.firstCloseFrame ??= {
            code,
            reason,
            by: direction === 'client_to_server' ? 'client' : 'server'
          }
        },
        undecodable: () => this.countUndecodable(direction)
      }
    )
    // Resumes reading once the receiving side has drained and the taps have caught up: what is relayed is never
    // dropped, and the relay holds a bounded amount while a side or zlib is slower than the other side.
    const resume = (): void => {
      if (to.destroyed || from.destroyed) return
      if (to.writableNeedDrain) to.once('drain', resume)
      else if (delivery.congested) delivery.whenClear(resume)
      else from.resume()
    }
    from.on('data', (chunk: Buffer) => {
      stats.bytes[direction] += chunk.length
      const flowing = to.write(chunk)
      tap.push(chunk)
      if (!flowing || delivery.congested) {
        from.pause()
        resume()
      }
    })
    return tap
  }

  private message(
    direction: FrameDirection,
    payload: Buffer | InflateFailure | Promise<Buffer | InflateFailure>,
    isBinary: boolean
  ): void {
    const at = Date.now()
    const { delivery, stats } = this.context
    stats.messages[direction] += 1
    if (!(payload instanceof Promise)) {
      const next = this.deliveryOf(direction, payload, isBinary, at)
      if (next) delivery.now(next, typeof payload === 'string' ? 0 : payload.length)
      return
    }
    const settle = delivery.reserve()
    void payload.then((result) =>
      settle(this.deliveryOf(direction, result, isBinary, at), typeof result === 'string' ? 0 : result.length)
    )
  }

  /** What to tell the observer about a message, or null (counted instead) when it has no payload to judge. */
  private deliveryOf(
    direction: FrameDirection,
    result: Buffer | InflateFailure,
    isBinary: boolean,
    at: number
  ): (() => void) | null {
    if (result === 'too_large') this.context.stats.tooLarge += 1
    else if (result === 'corrupt') this.countUndecodable(direction)
    else return () => this.context.observer.message(this.id, direction, result, isBinary, at)
    return null
  }

  private countUndecodable(direction: FrameDirection): void {
    if (this.undecodable.has(direction)) return
    this.undecodable.add(direction)
    this.context.stats.undecodable += 1
  }

  private whenEnded(socket: Socket, other: Socket, side: ClosedBy): void {
    socket.on('end', () => {
      this.firstToEnd ??= side
      other.end()
    })
    socket.on('error', () => {
      this.firstToEnd ??= side
      other.destroy()
    })
    socket.on('close', () => {
      if (!other.destroyed) {
        other.end()
        other.setTimeout(CLOSE_GRACE_MS, () => other.destroy())
      }
      this.socketsClosed += 1
      if (this.socketsClosed === 2) this.finish()
    })
  }

  private finish(): void {
    const at = Date.now()
    const { observer, delivery, stats } = this.context
    const { code, reason, by } = this.firstCloseFrame ?? {
      code: ABNORMAL_CLOSURE,
      reason: '',
      by: this.firstToEnd ?? 'proxy'
    }
    for (const tap of this.taps) tap.close()
    stats.open -= 1
    delivery.now(() => observer.connectionClosed(this.id, code, reason, by, at))
    this.onFinished(this)
    this.markFinished()
  }
}
