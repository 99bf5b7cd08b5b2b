import { describe, expect, it } from 'vitest'
import * as ws from 'ws'
import { FrameTap, type TapListener } from '../../src/main/observe/frameTap'
import { OrderedDelivery } from '../../src/main/observe/orderedDelivery'

/** ws's own frame writer: exported by its ESM entry, not declared by @types/ws. */
const { Sender } = ws as unknown as {
  Sender: {
    frame(
      data: Buffer,
      options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean }
    ): Buffer[]
  }
}

/** Frames as ws itself writes them (masked, as a client sends them), one Buffer each. */
function frame(data: Buffer | string, options: { opcode: number; fin?: boolean }): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data) : data
  return Buffer.concat(
    Sender.frame(payload, {
      fin: options.fin ?? true,
      opcode: options.opcode,
      mask: true,
      readOnly: true,
      rsv1: false
    })
  )
}

function tapOf(seen: string[]): FrameTap {
  const listener: TapListener = {
    message: (payload, isBinary) => {
      if (payload instanceof Promise || typeof payload === 'string')
        throw new Error('not compressed: a Buffer')
      seen.push(`${isBinary ? 'bin' : 'txt'}:${payload.length}:${payload.subarray(0, 12).toString('latin1')}`)
    },
    closeFrame: (code, reason) => seen.push(`close:${code}:${reason}`),
    undecodable: (reason) => seen.push(`undecodable:${reason}`)
  }
  return new FrameTap(
    {
      masked: true,
      deflate: null,
      maxMessageBytes: 1024 * 1024,
      backlog: new OrderedDelivery(1024 * 1024, (error) => {
        throw error
      }),
      countFrame: () => {}
    },
    listener
  )
}

const STREAM = Buffer.concat([
  frame('hello', { opcode: 1 }),
  frame(Buffer.alloc(100, 1), { opcode: 2, fin: false }),
  frame('ping!', { opcode: 9 }),
  frame(Buffer.alloc(100, 2), { opcode: 0, fin: false }),
  frame(Buffer.alloc(100, 3), { opcode: 0 }),
  frame('x'.repeat(70_000), { opcode: 1 }),
  frame(Buffer.concat([Buffer.from([0x0f, 0xa0]), Buffer.from('bye')]), { opcode: 8 })
])

const EXPECTED = [
  'txt:5:hello',
  `bin:300:${'\x01'.repeat(12)}`,
  `txt:70000:${'x'.repeat(12)}`,
  'close:4000:bye'
]

describe('FrameTap', () => {
  it('reads the same messages however the bytes are split into chunks (headers and masks across chunks too)', () => {
    for (const size of [1, 2, 3, 7, 13, 4096, STREAM.length]) {
      const seen: string[] = []
      const tap = tapOf(seen)
      for (let offset = 0; offset < STREAM.length; offset += size)
        tap.push(STREAM.subarray(offset, offset + size))
      expect(seen, `chunks of ${size}`).toEqual(EXPECTED)
    }
  })

  it('never writes into the buffers it reads', () => {
    const copy = Buffer.from(STREAM)
    tapOf([]).push(STREAM)
    expect(STREAM.equals(copy)).toBe(true)
  })

  it('stops at the first thing that is not a frame, says why, and reads nothing after', () => {
    const cases: Array<[Buffer, string]> = [
      [Buffer.from([0x83, 0x80, 0, 0, 0, 0]), 'unknown data opcode 0x3'],
      [Buffer.from([0x81, 0x00]), 'an unmasked frame from the client'],
      [Buffer.from([0xc1, 0x80, 0, 0, 0, 0]), 'RSV1 set, and permessage-deflate was not negotiated'],
      [Buffer.from([0x80, 0x80, 0, 0, 0, 0]), 'a continuation frame outside a fragmented message'],
      [Buffer.from([0x09, 0x80, 0, 0, 0, 0]), 'a fragmented or over-long control frame']
    ]
    for (const [bytes, reason] of cases) {
      const seen: string[] = []
      tapOf(seen).push(Buffer.concat([bytes, frame('after', { opcode: 1 })]))
      expect(seen).toEqual([`undecodable:${reason}`])
    }
  })
})
