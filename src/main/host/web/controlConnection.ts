import { WebSocket } from 'ws'
import type { RawData } from 'ws'
import { CONTROL_CLOSE_SLOW_CONSUMER, controlRequestSchema } from '../../../shared/controlFrames'
import type { ControlServerFrame } from '../../../shared/controlFrames'
import type { CommandReply, PushBytes } from '../../../shared/inspectorApi'
import { parseJson } from '../../../shared/json'
import type { InspectorHost } from '../inspectorHost'
import { answerCommand } from '../answerCommand'
import { invalidInputReply } from '../commandErrors'

export interface ControlConnectionOptions {
  host: InspectorHost
  /** Close the socket once this many bytes wait to be sent to it. */
  maxBufferedBytes: number
  log: (message: string) => void
}

const FRAME_HINT = 'Send one JSON text frame {"id": <integer>, "command": {"cmd": ...}} per request.'
const PUSH_HEAD = Buffer.from('{"push":')
const PUSH_END = Buffer.from('}')
/** A socket that cannot even take our close frame is cut after this long. */
const CLOSE_GRACE_MS = 2_000

function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data).toString('utf8')
}

/** The id to answer a bad frame with, if the frame had a usable one; otherwise the reply carries null. */
function idOf(value: unknown): number | null {
  if (typeof value !== 'object' || value === null || !('id' in value)) return null
  const { id } = value
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null
}

function error(message: string): CommandReply {
  return { ok: false, error: { message } }
}

/** Serves one authenticated control socket: requests in, replies and pushes out, memory bounded. */
export function serveControlConnection(socket: WebSocket, options: ControlConnectionOptions): void {
  const { host, maxBufferedBytes, log } = options

  /** Text frames only: a push's bytes are UTF-8 JSON, sent as text as well. */
  const sendText = (text: string | Buffer): void => {
    if (socket.readyState !== WebSocket.OPEN) return
    // Checked before queueing: the buffer holds at most the limit plus one frame, however slow the tab.
    if (socket.bufferedAmount > maxBufferedBytes) {
      log(
        `control: closing a client that fell ${socket.bufferedAmount} bytes behind (limit ${maxBufferedBytes})`
      )
      socket.close(CONTROL_CLOSE_SLOW_CONSUMER, 'Too far behind on pushes; reconnect and send hello')
      setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref()
      return
    }
    socket.send(text, { binary: false })
  }
  const send = (frame: ControlServerFrame): void => sendText(JSON.stringify(frame))
  // A push frame is `{"push": <Push>}`; the push is UTF-8 JSON already, so it is wrapped rather than re-serialized.
  const sendPush = (push: PushBytes): void => sendText(Buffer.concat([PUSH_HEAD, push, PUSH_END]))

  async function answer(data: RawData, isBinary: boolean): Promise<void> {
    if (isBinary) {
      send({
        id: null,
        reply: error(`Invalid control frame: expected a text frame, found binary. ${FRAME_HINT}`)
      })
      return
    }
    const json = parseJson(textOf(data))
    if (!json.ok) {
      send({ id: null, reply: error(`Invalid control frame: not JSON (${json.error}). ${FRAME_HINT}`) })
      return
    }
    const request = controlRequestSchema.safeParse(json.value)
    if (!request.success) {
      send({ id: idOf(json.value), reply: invalidInputReply(request.error, 'control frame', FRAME_HINT) })
      return
    }
    sendText(`{"id":${request.data.id},"reply":${await answerCommand(host, request.data.command)}}`)
  }

  const unsubscribe = host.subscribe(sendPush)
  socket.on('message', (data, isBinary) => {
    answer(data, isBinary).catch((failure: unknown) =>
      log(`control: failed to answer a frame: ${String(failure)}`)
    )
  })
  socket.on('error', (failure) => log(`control: socket error: ${failure.message}`))
  socket.on('close', () => unsubscribe())
}
