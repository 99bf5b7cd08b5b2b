import { WebSocket } from 'ws'
import type { ClientOptions } from 'ws'
import { controlServerFrameSchema } from '../../../src/shared/controlFrames'
import type { ControlServerFrame } from '../../../src/shared/controlFrames'

export type ConnectOutcome =
  | { kind: 'open'; client: ControlClient }
  | { kind: 'refused'; status: number }
  | { kind: 'closed'; reason: string }

/** A real ws client that queues every server frame, validated against the shared frame schema. */
export class ControlClient {
  private readonly frames: ControlServerFrame[] = []
  private readonly waiters: Array<() => void> = []

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(controlServerFrameSchema.parse(JSON.parse(String(data))))
      this.waiters.splice(0).forEach((wake) => wake())
    })
  }

  sendRaw(text: string): void {
    this.socket.send(text)
  }

  /** Resolves with the first queued frame matching `match`, removing it from the queue. */
  async next(match: (frame: ControlServerFrame) => boolean, timeoutMs = 5_000): Promise<ControlServerFrame> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const index = this.frames.findIndex(match)
      if (index >= 0) return this.frames.splice(index, 1)[0] as ControlServerFrame
      const left = deadline - Date.now()
      if (left <= 0)
        throw new Error(`No matching frame within ${timeoutMs} ms; queued: ${JSON.stringify(this.frames)}`)
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, left)
        this.waiters.push(() => {
          clearTimeout(timer)
          wake()
        })
      })
    }
  }

  reply(id: number | null): Promise<ControlServerFrame> {
    return this.next((frame) => 'id' in frame && frame.id === id)
  }

  close(): void {
    this.socket.close()
  }
}

export function connect(url: string, options: ClientOptions = {}): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { perMessageDeflate: false, ...options })
    socket.once('open', () => resolve({ kind: 'open', client: new ControlClient(socket) }))
    socket.once('unexpected-response', (_request, response) => {
      resolve({ kind: 'refused', status: response.statusCode ?? 0 })
      socket.terminate()
    })
    socket.once('error', (error) => resolve({ kind: 'closed', reason: error.message }))
  })
}
