import { CONTROL_PATH, controlServerFrameSchema } from '../../../shared/controlFrames'
import { checkReply, type ReplyTo } from '../../../shared/commandResults'
import type { Command, CommandReply, InspectorClient, Push } from '../../../shared/inspectorApi'
import { parseJson } from '../../../shared/json'
import { notConnectedReply, type ConnectionState, type InspectorConnection } from './connection'

export interface WebSocketConnectionOptions {
  /** Full ws:// or wss:// URL of the control channel, token included. */
  url: string
  /** A command without a reply after this long fails instead of hanging a button. Default 30 s. */
  replyTimeoutMs?: number
  /** Reconnect delay doubles from this after each failed attempt... Default 500 ms. */
  minRetryMs?: number
  /** ...up to this. Default 5 s. */
  maxRetryMs?: number
  /**
   * This page's own URL, token included. After an attempt that never opened, a HEAD of it tells a refused token
   * (401) from a server that is down or restarting, which a browser's WebSocket cannot: it only sees code 1006.
   */
  pageUrl?: string
}

/** Commands that legitimately take long: a target run lasts as long as its file's timeouts allow. */
const LONG_REPLY_MS: Partial<Record<Command['cmd'], number>> = { run_target: 10 * 60_000 }

interface Pending {
  resolve: (reply: CommandReply) => void
  timer: ReturnType<typeof setTimeout>
}

/** What the banner says when the server refused the token: why, and what to do, since retrying cannot help. */
export const TOKEN_REFUSED_PROBLEM =
  "The server refused this page's token (401): it was restarted with another token, or the address is not the " +
  'one `session-inspector serve` printed. Open the URL it printed; this page no longer reconnects.'

/** The control channel's URL for the page we were served from: same host, token copied from `?token=`. */
export function controlUrlFromLocation(location: Location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  const token = new URLSearchParams(location.search).get('token') ?? ''
  return `${scheme}//${location.host}${CONTROL_PATH}?token=${encodeURIComponent(token)}`
}

/** InspectorClient over the web-mode control channel; reconnects by itself and reports every state change. */
export function createWebSocketConnection(options: WebSocketConnectionOptions): InspectorConnection {
  const replyTimeoutMs = options.replyTimeoutMs ?? 30_000
  const minRetryMs = options.minRetryMs ?? 500
  const maxRetryMs = options.maxRetryMs ?? 5_000
  const pushListeners = new Set<(push: Push) => void>()
  const stateListeners = new Set<(state: ConnectionState) => void>()
  const pending = new Map<number, Pending>()
  let state: ConnectionState = { status: 'connecting', problem: null }
  let socket: WebSocket | null = null
  let nextId = 1
  let retryMs = minRetryMs
  let retryTimer: ReturnType<typeof setTimeout> | null = null
  let closedByUs = false

  const setState = (next: ConnectionState): void => {
    state = next
    for (const listener of stateListeners) listener(state)
  }

  const failPending = (detail: string): void => {
    for (const [id, entry] of pending) {
      clearTimeout(entry.timer)
      entry.resolve(notConnectedReply(detail))
      pending.delete(id)
    }
  }

  const handleFrame = (data: unknown): void => {
    if (typeof data !== 'string')
      return reportProblem('a binary frame (the control channel speaks JSON text)')
    const json = parseJson(data)
    if (!json.ok) return reportProblem(`a frame that is not JSON: ${json.error}`)
    const frame = controlServerFrameSchema.safeParse(json.value)
    if (!frame.success)
      return reportProblem(`a frame that matches no known shape: ${frame.error.issues[0]?.message}`)
    if ('push' in frame.data) {
      for (const listener of pushListeners) listener(frame.data.push)
      return
    }
    const { id, reply } = frame.data
    const entry = id === null ? undefined : pending.get(id)
    if (entry === undefined) {
      if (!reply.ok) reportProblem(`the server rejected a frame: ${reply.error.message}`)
      return
    }
    pending.delete(id as number)
    clearTimeout(entry.timer)
    entry.resolve(reply)
  }

  const reportProblem = (what: string): void => {
    console.error(`Control channel: dropped ${what}`)
    setState({ ...state, problem: `Dropped ${what}` })
  }

  const connect = (): void => {
    retryTimer = null
    setState({ status: 'connecting', problem: state.problem })
    const ws = new WebSocket(options.url)
    socket = ws
    let opened = false
    ws.onopen = () => {
      opened = true
      retryMs = minRetryMs
      setState({ status: 'open', problem: null })
    }
    ws.onmessage = (message: MessageEvent) => handleFrame(message.data)
    ws.onclose = (event: CloseEvent) => {
      if (socket !== ws) return
      socket = null
      const reason = `closed with code ${event.code}${event.reason ? `: ${event.reason}` : ''}`
      failPending(reason)
      setState({ status: 'closed', problem: reason })
      if (closedByUs) return
      if (opened || options.pageUrl === undefined) return scheduleRetry()
      void tokenRefused(options.pageUrl).then((refused) => {
        if (closedByUs) return
        if (refused) setState({ status: 'refused', problem: TOKEN_REFUSED_PROBLEM })
        else scheduleRetry()
      })
    }
  }

  const scheduleRetry = (): void => {
    retryTimer = setTimeout(connect, retryMs)
    retryMs = Math.min(maxRetryMs, retryMs * 2)
  }

  const client: InspectorClient = {
    send<C extends Command>(command: C): Promise<ReplyTo<C['cmd']>> {
      const ws = socket
      if (ws === null || ws.readyState !== WebSocket.OPEN)
        return Promise.resolve(notConnectedReply(state.status))
      const id = nextId++
      const timeoutMs = Math.max(replyTimeoutMs, LONG_REPLY_MS[command.cmd] ?? 0)
      const reply = new Promise<CommandReply>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id)
          resolve({
            ok: false,
            error: { message: `No reply to ${command.cmd} within ${timeoutMs} ms.` }
          })
        }, timeoutMs)
        pending.set(id, { resolve, timer })
        ws.send(JSON.stringify({ id, command }))
      })
      return reply.then((answer) => checkReply<C['cmd']>(command.cmd, answer))
    },
    subscribe(listener: (push: Push) => void): () => void {
      pushListeners.add(listener)
      return () => void pushListeners.delete(listener)
    }
  }

  connect()
  return {
    transport: 'websocket',
    client,
    getState: () => state,
    onState(listener) {
      stateListeners.add(listener)
      return () => void stateListeners.delete(listener)
    },
    close() {
      closedByUs = true
      if (retryTimer !== null) clearTimeout(retryTimer)
      socket?.close(1000, 'inspector closed')
    }
  }
}

/** True only when the server answered and said 401; a server that is down or restarting is worth retrying. */
async function tokenRefused(pageUrl: string): Promise<boolean> {
  try {
    const response = await fetch(pageUrl, { method: 'HEAD', cache: 'no-store' })
    return response.status === 401
  } catch {
    return false
  }
}
