import type { RawData, WebSocket } from 'ws'
import { parseJson } from '../../../shared/json'
import { clientFrameSchema, type ServerFrame } from '../../../shared/runtimeFrames'
import type { ContextService } from '../context/contextService'
import { toErrorInfo } from '../errors'
import type { UnifiedIdGenerator } from '../ids/unifiedIdGenerator'
import type { InspectionBus } from '../inspection/inspectionBus'
import type { UserConnection } from '../websocket/userConnection'
import type { WebSocketConnectionPool } from '../websocket/webSocketConnectionPool'
import type { AgentHandler } from './agentHandler'
import type { FrameWriter } from './frameWriter'

/** Close code and reason for a consumer whose unsent data passed the bound. */
export const SEND_BUFFER_CLOSE = {
  code: 4008,
  reason: 'send buffer limit exceeded: client is not reading'
} as const

/** A cut-off client that does not even read our close frame is dropped after this long. */
export const SEND_BUFFER_CLOSE_GRACE_MS = 2_000

export interface SessionDependencies {
  ids: UnifiedIdGenerator
  bus: InspectionBus
  contexts: ContextService
  pool: WebSocketConnectionPool
  handler: AgentHandler
  /** The RuntimeServer's writer: every frame after the welcome goes through it. */
  writer: FrameWriter
  /** Unsent bytes a socket may hold before it is cut off. */
  maxBufferedBytes: number
}

/** One user's socket from welcome to close: builds its context, attaches it to a manager, serves its frames. */
export function openSession(socket: WebSocket, userId: string, deps: SessionDependencies): void {
  const connectionId = deps.ids.connectionId()
  socket.on('error', () => socket.terminate())
  const sendFrame = (frame: ServerFrame): void => socket.send(JSON.stringify(frame))
  /** Replies to a client frame join the frames it causes, in one write (see inOneWrite). */
  const reply = (frame: ServerFrame): void => deps.writer.send(socket, JSON.stringify(frame))

  let context
  try {
    context = deps.contexts.forConnection(userId)
  } catch (error) {
    sendFrame({ type: 'error', code: 'context_rejected', message: describe(error) })
    socket.close(1011, 'context creation failed')
    return
  }
  let cutOff = false
  const connection: UserConnection = {
    id: connectionId,
    context: context.toIds(),
    send: (frame) => {
      if (cutOff) return
      // Checked before queueing: the buffer holds at most the bound plus one frame, however slow the client.
      const unsent = deps.writer.unsentBytes(socket)
      if (unsent > deps.maxBufferedBytes) {
        cutOff = true
        deps.bus.emit({
          kind: 'user_cut_off',
          connection_id: connectionId,
          user_id: userId,
          code: SEND_BUFFER_CLOSE.code,
          reason: SEND_BUFFER_CLOSE.reason,
          buffered_bytes: unsent
        })
        socket.close(SEND_BUFFER_CLOSE.code, SEND_BUFFER_CLOSE.reason)
        setTimeout(() => socket.terminate(), SEND_BUFFER_CLOSE_GRACE_MS).unref()
        return
      }
      deps.writer.send(socket, frame)
    }
  }
  let manager
  try {
    manager = deps.pool.attach(connection, context)
  } catch (error) {
    sendFrame({ type: 'error', code: 'manager_rejected', message: describe(error) })
    socket.close(1011, 'websocket manager creation failed')
    return
  }
  deps.bus.emit({
    kind: 'user_connected',
    connection_id: connectionId,
    context: connection.context,
    manager_id: manager.id
  })
  sendFrame({ type: 'welcome', connection_id: connectionId, context: connection.context })

  // Made once per connection, not per frame: under tsx every named closure also costs a defineProperty call.
  const problem = (message: string): void => {
    deps.bus.emit({
      kind: 'frame_rejected',
      connection_id: connectionId,
      user_id: userId,
      problem: message
    })
    reply({ type: 'error', code: 'bad_frame', message })
  }
  const onFrame = (data: RawData, isBinary: boolean): void => {
    if (isBinary) return problem('binary frames are not accepted; send JSON text')
    const parsed = parseJson(data.toString())
    if (!parsed.ok) return problem(`frame is not JSON: ${parsed.error}`)
    const frame = clientFrameSchema.safeParse(parsed.value)
    if (!frame.success) {
      const issue = frame.error.issues[0]
      return problem(
        `invalid frame at '${issue?.path.join('.') || '(root)'}': ${issue?.message ?? 'unknown problem'}`
      )
    }
    if (frame.data.type === 'ping') return reply({ type: 'pong', nonce: frame.data.nonce })
    const outcome = deps.handler.startRun(connection.context, (runId) =>
      reply({ type: 'run_accepted', run_id: runId })
    )
    if (!outcome.ok)
      reply({
        type: 'error',
        code: 'run_failed',
        message: `${outcome.error.type}: ${outcome.error.message}`
      })
  }

  socket.on('message', (data: RawData, isBinary: boolean) =>
    deps.writer.inOneWrite(() => onFrame(data, isBinary))
  )

  socket.on('close', (code: number, reason: Buffer) => {
    deps.pool.detach(connection)
    deps.bus.emit({
      kind: 'user_disconnected',
      connection_id: connectionId,
      user_id: userId,
      code,
      reason: reason.toString()
    })
  })
}

function describe(error: unknown): string {
  const info = toErrorInfo(error)
  return `${info.type}: ${info.message}`
}
