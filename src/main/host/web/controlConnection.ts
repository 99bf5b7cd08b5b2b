import { WebSocket } from 'ws'
import type { RawData } from 'ws'
import {
  CONTROL_CLOSE_SLOW_CONSUMER,
  CONTROL_OVERFLOW_REASON,
  CONTROL_STALLED_REASON,
  controlRequestSchema
} from '../../../shared/controlFrames'
import type { ControlServerFrame } from '../../../shared/controlFrames'
import type { CommandReply, PushBytes } from '../../../shared/inspectorApi'
import { parseJson } from '../../../shared/json'
import type { InspectorHost } from '../inspectorHost'
import { answerCommand, answerHello } from '../answerCommand'
import { invalidInputReply } from '../commandErrors'
import { lastHistorySeq } from './historySeq'
import { PushSummarizer } from './pushSummarizer'

export interface ControlConnectionOptions {
  host: InspectorHost
  /** Hard bound: close the socket once this many bytes wait to be sent to it (only replies can pile up so). */
  maxBufferedBytes: number
  /** Past this many queued bytes the tab is behind: its pushes are summarised instead of sent. */
  behindBytes: number
  /** A tab that is behind and reads nothing for this long is closed. */
  stallMs: number
  log: (message: string) => void
}

const FRAME_HINT = 'Send one JSON text frame {"id": <integer>, "command": {"cmd": ...}} per request.'
const PUSH_HEAD = Buffer.from('{"push":')
const PUSH_END = Buffer.from('}')
const RESET_HEAD = Buffer.from('{"type":"reset"')
/** A socket that cannot even take our close frame is cut after this long. */
const CLOSE_GRACE_MS = 2_000
/** How often a behind tab's queue is looked at: to catch it up once it drains, or to see it stalled. */
const WATCH_MS = 50
/** JSON of events that must not be lost kept for a behind tab, per budget (PushSummarizer); past it they are counted. */
const KEEP_BYTES = 1024 * 1024

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

/**
 * Serves one authenticated control socket: requests in, replies and pushes out, memory bounded. A tab that falls
 * behind keeps its connection: its pushes are summarised (PushSummarizer) until it drains, then it gets the kept
 * events and the counts. Only a tab that stops reading (behind, nothing drained for `stallMs`) or lets replies
 * pile up past `maxBufferedBytes` is closed.
 */
export function serveControlConnection(socket: WebSocket, options: ControlConnectionOptions): void {
  const { host, maxBufferedBytes, behindBytes, stallMs, log } = options
  const summarizer = new PushSummarizer(KEEP_BYTES)
  /** Bytes handed to the socket, frame headers included: what has left it is this minus `bufferedAmount`. */
  let written = 0
  let drainedMark = 0
  let progressAt = 0
  let watch: NodeJS.Timeout | null = null
  let closing = false

  const behind = (): boolean => socket.bufferedAmount > behindBytes
  const drained = (): number => written - socket.bufferedAmount

  const cut = (reason: string): void => {
    if (closing) return
    closing = true
    stopWatching()
    log(`control: closing a client ${socket.bufferedAmount} bytes behind: ${reason}`)
    socket.close(CONTROL_CLOSE_SLOW_CONSUMER, reason)
    setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref()
  }

  /** One text frame (a push's bytes are UTF-8 JSON, sent as text as well). */
  const write = (bytes: Buffer): void => {
    if (socket.readyState !== WebSocket.OPEN || closing) return
    // Checked before queueing: the buffer holds at most the bound plus one frame.
    if (socket.bufferedAmount > maxBufferedBytes) return cut(CONTROL_OVERFLOW_REASON)
    written += bytes.length + frameHeaderBytes(bytes.length)
    socket.send(bytes, { binary: false })
    if (behind()) startWatching()
  }
  const send = (frame: ControlServerFrame): void => write(Buffer.from(JSON.stringify(frame)))
  // A push frame is `{"push": <Push>}`; the push is UTF-8 JSON already, so it is wrapped rather than re-serialized.
  const writePush = (push: Uint8Array): void => write(Buffer.concat([PUSH_HEAD, push, PUSH_END]))

  /** Sends what was summarised while the tab was behind: the kept events first, then the counts. */
  const catchUp = (): void => {
    const { kept, summary } = summarizer.take()
    if (kept.length > 0) write(Buffer.from(`{"push":{"type":"events","events":[${kept.join(',')}]}}`))
    if (summary !== null) send({ push: { type: 'summary', summary } })
  }

  const sendPush = (push: PushBytes): void => {
    if (socket.readyState !== WebSocket.OPEN || closing) return
    const bytes = Buffer.from(push.buffer, push.byteOffset, push.byteLength)
    if (bytes.subarray(0, RESET_HEAD.length).equals(RESET_HEAD)) {
      // A new runtime: what is pending belongs to the old one, and the reset's history covers the new one so far.
      summarizer.coveredUpTo(lastHistorySeq(bytes) ?? -1)
      return writePush(bytes)
    }
    if (behind()) {
      summarizer.add(bytes)
      return startWatching()
    }
    if (summarizer.pending) catchUp()
    writePush(bytes)
  }

  function startWatching(): void {
    if (watch !== null) return
    drainedMark = drained()
    progressAt = performance.now()
    watch = setTimeout(look, WATCH_MS)
  }

  function stopWatching(): void {
    if (watch !== null) clearTimeout(watch)
    watch = null
  }

  /** While behind: catch up once drained below the mark, close once nothing has drained for stallMs. */
  function look(): void {
    watch = null
    if (socket.readyState !== WebSocket.OPEN || closing) return
    if (!behind()) {
      if (summarizer.pending) catchUp()
      return
    }
    const now = performance.now()
    if (drained() > drainedMark) {
      drainedMark = drained()
      progressAt = now
    } else if (now - progressAt >= stallMs) {
      return cut(CONTROL_STALLED_REASON)
    }
    watch = setTimeout(look, WATCH_MS)
  }

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
    const { id, command } = request.data
    if (command.cmd === 'hello') {
      // Taken and noted in one turn: every event summarised so far, or pushed later at or below the history's
      // last seq, is in this reply.
      const reply = Buffer.from(`{"id":${id},"reply":${answerHello(host)}}`)
      const covered = lastHistorySeq(reply)
      if (covered !== null) summarizer.coveredUpTo(covered)
      return write(reply)
    }
    write(Buffer.from(`{"id":${id},"reply":${await answerCommand(host, command)}}`))
  }

  const unsubscribe = host.subscribe(sendPush)
  socket.on('message', (data, isBinary) => {
    answer(data, isBinary).catch((failure: unknown) =>
      log(`control: failed to answer a frame: ${String(failure)}`)
    )
  })
  socket.on('error', (failure) => log(`control: socket error: ${failure.message}`))
  socket.on('close', () => {
    stopWatching()
    unsubscribe()
  })
}

/** Length of a server frame's header (unmasked) for a payload of `length` bytes (RFC 6455, 5.2). */
function frameHeaderBytes(length: number): number {
  return length < 126 ? 2 : length < 65_536 ? 4 : 10
}
