import { MessageInflater, type InflateFailure } from './messageInflater'
import type { OrderedDelivery } from './orderedDelivery'

/** What a tap finds in one direction of a relayed connection. */
export interface TapListener {
  /** A whole text or binary message, in relay order; compressed ones arrive as a promise of their payload. */
  message(payload: Buffer | InflateFailure | Promise<Buffer | InflateFailure>, isBinary: boolean): void
  closeFrame(code: number, reason: string): void
  /** The bytes stopped being WebSocket frames (or a compressed stream broke): nothing after is read. */
  undecodable(reason: string): void
}

export interface FrameTapOptions {
  /** Client-to-server frames must be masked, server-to-client ones must not be (RFC 6455 5.1). */
  readonly masked: boolean
  /** Whether permessage-deflate was negotiated, and this direction's context takeover. */
  readonly deflate: { readonly noContextTakeover: boolean } | null
  /** The largest message (after inflation) the tap reassembles; larger ones are counted, not judged. */
  readonly maxMessageBytes: number
  readonly backlog: OrderedDelivery
  /** Called for every frame read, control frames included. */
  readonly countFrame: () => void
}

const OP_CONTINUATION = 0x0
const OP_TEXT = 0x1
const OP_BINARY = 0x2
const OP_CLOSE = 0x8
const OP_PING = 0x9
const OP_PONG = 0xa
/** RFC 6455 7.4.1: a close frame without a status code is reported as 1005. */
const NO_STATUS = 1005

interface Message {
  readonly isBinary: boolean
  readonly compressed: boolean
  chunks: Buffer[]
  bytes: number
  tooLarge: boolean
}

/**
 * Reads a copy of one direction's bytes as WebSocket frames (RFC 6455): unmasks, joins fragments, inflates
 * permessage-deflate messages, reads close frames. It never writes to the connection and never touches the
 * buffers it is given (unmasking goes to a copy), so what is relayed is exactly what was received.
 */
export class FrameTap {
  private readonly header = Buffer.alloc(14)
  private headerFill = 0
  private remaining = 0
  private maskOffset = 0
  private fin = false
  private opcode = 0
  private mask: Buffer | null = null
  private control: Buffer[] = []
  private message: Message | null = null
  private broken = false
  /** True between a complete header with a non-empty payload and the payload's last byte. */
  private inPayload = false
  private readonly inflater: MessageInflater | null

  constructor(
    private readonly options: FrameTapOptions,
    private readonly listener: TapListener
  ) {
    this.inflater = options.deflate
      ? new MessageInflater({
          noContextTakeover: options.deflate.noContextTakeover,
          maxMessageBytes: options.maxMessageBytes,
          backlog: options.backlog
        })
      : null
  }

  push(chunk: Buffer): void {
    let offset = 0
    while (!this.broken && offset < chunk.length) {
      offset = this.inPayload ? this.readPayload(chunk, offset) : this.readHeader(chunk, offset)
    }
  }

  close(): void {
    this.inflater?.close()
  }

  private readHeader(chunk: Buffer, offset: number): number {
    while (offset < chunk.length) {
      this.header[this.headerFill++] = chunk[offset++] as number
      const needed = this.headerLength()
      if (needed !== null && this.headerFill === needed) {
        this.startFrame()
        return offset
      }
    }
    return offset
  }

  /** The whole header's length once its first two bytes are in, else null. */
  private headerLength(): number | null {
    if (this.headerFill < 2) return null
    const second = this.header[1] as number
    const lengthCode = second & 0x7f
    const extended = lengthCode === 126 ? 2 : lengthCode === 127 ? 8 : 0
    return 2 + extended + (second & 0x80 ? 4 : 0)
  }

  private startFrame(): void {
    const first = this.header[0] as number
    const second = this.header[1] as number
    const length = this.headerLength() as number
    this.headerFill = 0
    this.fin = (first & 0x80) !== 0
    const rsv1 = (first & 0x40) !== 0
    this.opcode = first & 0x0f
    const masked = (second & 0x80) !== 0
    const lengthCode = second & 0x7f
    let payloadLength = lengthCode
    if (lengthCode === 126) payloadLength = this.header.readUInt16BE(2)
    else if (lengthCode === 127) {
      const big = this.header.readBigUInt64BE(2)
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) return this.fail('a 64-bit payload length over 2^53 - 1')
      payloadLength = Number(big)
    }
    const problem = this.frameProblem(rsv1, masked, payloadLength, first)
    if (problem) return this.fail(problem)
    this.options.countFrame()
    this.mask = masked ? Buffer.from(this.header.subarray(length - 4, length)) : null
    this.maskOffset = 0
    this.remaining = payloadLength
    if (this.opcode === OP_TEXT || this.opcode === OP_BINARY) {
      this.message = {
        isBinary: this.opcode === OP_BINARY,
        compressed: rsv1,
        chunks: [],
        bytes: 0,
        tooLarge: false
      }
    }
    this.inPayload = payloadLength > 0
    if (!this.inPayload) this.endFrame()
  }

  private frameProblem(rsv1: boolean, masked: boolean, length: number, first: number): string | null {
    const op = this.opcode
    if ((first & 0x30) !== 0) return 'RSV2 or RSV3 set, and no extension that uses them was negotiated'
    if (masked !== this.options.masked)
      return this.options.masked ? 'an unmasked frame from the client' : 'a masked frame from the server'
    if (op >= OP_CLOSE) {
      if (op !== OP_CLOSE && op !== OP_PING && op !== OP_PONG)
        return `unknown control opcode 0x${op.toString(16)}`
      if (!this.fin || length > 125) return 'a fragmented or over-long control frame'
      if (rsv1) return 'RSV1 set on a control frame'
      return null
    }
    if (op === OP_CONTINUATION) {
      if (this.message === null) return 'a continuation frame outside a fragmented message'
      if (rsv1) return 'RSV1 set on a continuation frame'
      return null
    }
    if (op !== OP_TEXT && op !== OP_BINARY) return `unknown data opcode 0x${op.toString(16)}`
    if (this.message !== null) return 'a new message before the previous one was finished'
    if (rsv1 && this.inflater === null) return 'RSV1 set, and permessage-deflate was not negotiated'
    return null
  }

  private readPayload(chunk: Buffer, offset: number): number {
    const take = Math.min(this.remaining, chunk.length - offset)
    let payload = chunk.subarray(offset, offset + take)
    if (this.mask) payload = this.unmasked(payload)
    this.remaining -= take
    this.framePayload(payload)
    if (this.remaining === 0) {
      this.inPayload = false
      this.endFrame()
    }
    return offset + take
  }

  private unmasked(payload: Buffer): Buffer {
    const mask = this.mask as Buffer
    const copy = Buffer.allocUnsafe(payload.length)
    for (let i = 0; i < payload.length; i++)
      copy[i] = (payload[i] as number) ^ (mask[(this.maskOffset + i) & 3] as number)
    this.maskOffset = (this.maskOffset + payload.length) & 3
    return copy
  }

  private framePayload(payload: Buffer): void {
    if (this.opcode >= OP_CLOSE) {
      this.control.push(payload)
      return
    }
    const message = this.message as Message
    if (message.compressed) {
      ;(this.inflater as MessageInflater).write(payload)
      return
    }
    if (message.tooLarge) return
    message.bytes += payload.length
    if (message.bytes > this.options.maxMessageBytes) {
      message.tooLarge = true
      message.chunks = []
    } else message.chunks.push(payload)
  }

  private endFrame(): void {
    this.mask = null
    if (this.opcode >= OP_CLOSE) {
      const payload = Buffer.concat(this.control)
      this.control = []
      if (this.opcode === OP_CLOSE) this.closeFrame(payload)
      return
    }
    if (!this.fin) return
    const message = this.message as Message
    this.message = null
    if (message.compressed) this.listener.message((this.inflater as MessageInflater).end(), message.isBinary)
    else if (message.tooLarge) this.listener.message('too_large', message.isBinary)
    else this.listener.message(joined(message.chunks, message.bytes), message.isBinary)
  }

  private closeFrame(payload: Buffer): void {
    if (payload.length === 1) return this.fail('a close frame with a one-byte payload')
    const code = payload.length >= 2 ? payload.readUInt16BE(0) : NO_STATUS
    this.listener.closeFrame(code, payload.subarray(2).toString('utf8'))
  }

  private fail(reason: string): void {
    this.broken = true
    this.message = null
    this.control = []
    this.listener.undecodable(reason)
  }
}

/** A message's payload: the one fragment's bytes as they are (most messages), or the fragments joined. */
function joined(chunks: Buffer[], bytes: number): Buffer {
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, bytes)
}
