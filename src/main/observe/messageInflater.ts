import { constants, createInflateRaw, type InflateRaw } from 'node:zlib'
import type { OrderedDelivery } from './orderedDelivery'

/** RFC 7692 7.2.2: the sender strips this empty block's tail from every message; the receiver adds it back. */
const TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff])

/** Why a compressed message has no payload to judge. */
export type InflateFailure = 'too_large' | 'corrupt'

/**
 * Inflates one direction's compressed messages, in order, keeping the window from one message to the next unless
 * the ends agreed on no context takeover. Fragments are written as they are relayed, so a message over the bound
 * still passes through zlib (the next message may refer back to it) but its output is dropped, never held.
 */
export class MessageInflater {
  private inflate: InflateRaw | null = null
  private chain: Promise<void> = Promise.resolve()
  private output: Buffer[] = []
  private outputBytes = 0
  private failure: InflateFailure | null = null
  private broken = false
  /** Settles the message being flushed if zlib fails before its flush calls back (it never will). */
  private abandonFlush: (() => void) | null = null

  constructor(
    private readonly options: {
      readonly noContextTakeover: boolean
      readonly maxMessageBytes: number
      /** Counts the compressed bytes not yet inflated toward the relay's backlog. */
      readonly backlog: OrderedDelivery
    }
  ) {}

  /** A compressed fragment's payload, unmasked. */
  write(payload: Buffer): void {
    this.options.backlog.hold(payload.length)
    this.chain = this.chain.then(() => {
      this.options.backlog.release(payload.length)
      if (!this.broken) this.zlib().write(payload)
    })
  }

  /** Ends the current message: its payload, or why there is none. */
  end(): Promise<Buffer | InflateFailure> {
    const done = this.chain.then(() => this.finishMessage())
    this.chain = done.then(() => undefined)
    return done
  }

  close(): void {
    this.chain = this.chain.then(() => {
      this.inflate?.close()
      this.inflate = null
    })
  }

  private finishMessage(): Promise<Buffer | InflateFailure> {
    if (this.broken) return Promise.resolve('corrupt')
    const inflate = this.zlib()
    return new Promise((resolve) => {
      const settle = (): void => {
        if (this.abandonFlush === null) return
        this.abandonFlush = null
        const result = this.broken
          ? 'corrupt'
          : (this.failure ?? Buffer.concat(this.output, this.outputBytes))
        this.output = []
        this.outputBytes = 0
        this.failure = null
        if (this.options.noContextTakeover && !this.broken) inflate.reset()
        resolve(result)
      }
      this.abandonFlush = settle
      inflate.write(TAIL)
      inflate.flush(constants.Z_SYNC_FLUSH, settle)
    })
  }

  private zlib(): InflateRaw {
    if (this.inflate) return this.inflate
    const inflate = createInflateRaw({ windowBits: 15 })
    inflate.on('data', (chunk: Buffer) => {
      if (this.failure) return
      this.outputBytes += chunk.length
      if (this.outputBytes > this.options.maxMessageBytes) {
        this.failure = 'too_large'
        this.output = []
      } else this.output.push(chunk)
    })
    // A stream zlib cannot read stays unreadable: its window is lost, so no later message of it can be inflated.
    inflate.on('error', () => {
      this.broken = true
      this.output = []
      this.abandonFlush?.()
    })
    this.inflate = inflate
    return inflate
  }
}
