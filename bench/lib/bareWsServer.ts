import { createServer } from 'node:http'
import { WebSocketServer, type WebSocket } from 'ws'
import { AGENT_EVENT_TYPES } from '../../src/shared/agentEvents'
import { preciseNow } from '../../src/main/runtime/agents/agentWebSocketBridge'
import { UnifiedIdGenerator } from '../../src/main/runtime/ids/unifiedIdGenerator'
import { FrameWriter } from '../../src/main/runtime/server/frameWriter'

/** The agent's five payloads, as the execution engine sends them, so frames are the same size. */
const PAYLOADS: ReadonlyArray<(runId: string) => Record<string, unknown>> = [
  (runId) => ({ agent: 'supervisor', run_id: runId }),
  () => ({ thought: 'Planning which tool answers the request' }),
  () => ({ tool: 'search_threads', args: { limit: 5 } }),
  () => ({ tool: 'search_threads', result: { matches: 3 } }),
  () => ({ answer: 'Found 3 threads.' })
]

/** One step's frame split around the two fields that change per send: event_id and emitted_at. */
interface FrameTemplate {
  head: string
  middle: string
  tail: string
}

const MARK_ID = '\u0000id\u0000'
const MARK_AT = 123456789.125

function templatesFor(ids: UnifiedIdGenerator, userId: string): FrameTemplate[] {
  const threadId = ids.threadId()
  const runId = ids.runId(threadId)
  return AGENT_EVENT_TYPES.map((type, step) => {
    const text = JSON.stringify({
      type: 'agent_event',
      event: {
        event_id: MARK_ID,
        type,
        user_id: userId,
        thread_id: threadId,
        run_id: runId,
        step,
        emitted_at: MARK_AT,
        payload: (PAYLOADS[step] as (runId: string) => Record<string, unknown>)(runId)
      }
    })
    const [head, rest] = text.split(JSON.stringify(MARK_ID)) as [string, string]
    const [middle, tail] = rest.split(String(MARK_AT)) as [string, string]
    return { head: `${head}"`, middle: `"${middle}`, tail }
  })
}

export interface BareWsServer {
  userUrl(userId: string): string
  readonly openSockets: number
  close(): Promise<void>
}

/**
 * How the bare server sends a run's frames: `writer`, the runtime's own FrameWriter, all five in one write as the
 * runtime does (the baseline the ratio is taken against, so it measures the pipeline's cost, not the writer's
 * gain); `ws.send`, one send each, printed for information.
 */
export type BareSend = 'writer' | 'ws.send'

/**
 * The baseline: a bare ws server speaking the runtime's wire protocol (welcome, start_run, five agent_event
 * frames of the same size) with nothing behind it: no contexts, managers, auditor or inspection stream.
 */
export async function startBareWsServer(send: BareSend = 'writer'): Promise<BareWsServer> {
  const ids = new UnifiedIdGenerator(1)
  const writer = new FrameWriter()
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 })
  const sockets = new Set<WebSocket>()
  const http = createServer((_request, response) => response.writeHead(426).end())
  let eventCounter = 0
  http.on('upgrade', (request, socket, head) => {
    const userId = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('user_id') ?? 'anonymous'
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws)
      ws.on('close', () => sockets.delete(ws))
      ws.on('error', () => ws.terminate())
      // Built at the first run, so that an idle connection holds what a bare ws connection holds.
      let frames: FrameTemplate[] | null = null
      const context = {
        user_id: userId,
        thread_id: ids.threadId(),
        run_id: 'run_bare',
        request_id: ids.requestId()
      }
      ws.send(JSON.stringify({ type: 'welcome', connection_id: ids.connectionId(), context }))
      const sendRun = (): void => {
        frames ??= templatesFor(ids, userId)
        for (const frame of frames) {
          const text = `${frame.head}evt_${++eventCounter}${frame.middle}${preciseNow()}${frame.tail}`
          if (send === 'writer') writer.send(ws, text)
          else ws.send(text)
        }
      }
      ws.on('message', () => (send === 'writer' ? writer.inOneWrite(sendRun) : sendRun()))
    })
  })
  // The same listen backlog as the runtime's server: a kernel setting, not part of what is compared.
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', 4_096, resolve))
  const address = http.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    userUrl: (userId) => `ws://127.0.0.1:${port}/ws?user_id=${encodeURIComponent(userId)}`,
    get openSockets() {
      return sockets.size
    },
    async close() {
      for (const socket of sockets) socket.terminate()
      wss.close()
      await new Promise<void>((resolve) => http.close(() => resolve()))
    }
  }
}
