import { fileURLToPath } from 'node:url'
import { createServer, STATUS_CODES } from 'node:http'
import type { IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { resolve } from 'node:path'
import { WebSocketServer } from 'ws'
import {
  CONTROL_BEHIND_BYTES,
  CONTROL_MAX_BUFFERED_BYTES,
  CONTROL_MAX_PAYLOAD_BYTES,
  CONTROL_PATH,
  CONTROL_STALL_MS
} from '../../../shared/controlFrames'
import { RECORDING_DOWNLOAD_PATH } from '../../../shared/inspectorApi'
import type { InspectorHost } from '../inspectorHost'
import { serveControlConnection } from './controlConnection'
import { serveRecordingDownload } from './recordingDownload'
import { authorizePage, authorizeUpgrade, isOurHost, isPagePath } from './requestGuards'
import { assertRendererBuilt, createStaticHandler } from './staticFiles'
import { createControlToken, TOKEN_PATTERN, TOKEN_RULE } from './token'
import { sendTokenRefusedPage } from './tokenRefusedPage'
import { SECURITY_HEADERS } from '../../security/securityHeaders'

/** The renderer `npm run build:web` writes, in this package's own folder (not the caller's working directory). */
export const BUILT_RENDERER_DIR = fileURLToPath(new URL('../../../../out/renderer', import.meta.url))

export interface WebServerOptions {
  host: InspectorHost
  /** TCP port on 127.0.0.1. Default 0: a free port chosen by the OS. */
  port?: number
  /** Directory of the built renderer. Default `out/renderer` under the current directory. */
  staticDir?: string
  /** Per-connection send-buffer limit in bytes. Default {@link CONTROL_MAX_BUFFERED_BYTES} (64 MiB). */
  maxBufferedBytes?: number
  /** Queued bytes past which a tab's pushes are summarised. Default {@link CONTROL_BEHIND_BYTES} (1 MiB). */
  behindBytes?: number
  /** A tab behind that reads nothing for this long is closed. Default {@link CONTROL_STALL_MS} (30 s). */
  stallMs?: number
  /** Largest accepted control frame in bytes. Default {@link CONTROL_MAX_PAYLOAD_BYTES} (1 MiB). */
  maxPayload?: number
  /** Where refusals and socket errors are reported. Default: console.warn. */
  log?: (message: string) => void
  /** A fixed token (`serve --token`, for CI), matching {@link TOKEN_PATTERN}. Default: a fresh one per launch. */
  token?: string
}

export interface WebServer {
  /** The page to open, token included: `http://127.0.0.1:PORT/?token=...`. */
  url: string
  port: number
  token: string
  close(): Promise<void>
}

/** How long close() waits for open control sockets to finish their closing handshake. */
const CLOSE_GRACE_MS = 1_000

/** Refuses an upgrade with a plain HTTP response, before any WebSocket handshake happens. */
function refuse(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`
  socket.once('finish', () => socket.destroy())
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  )
}

/** Web mode: the built renderer over HTTP and the InspectorApi over an authenticated WebSocket, loopback only. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const staticDir = resolve(options.staticDir ?? BUILT_RENDERER_DIR)
  assertRendererBuilt(staticDir)
  const log = options.log ?? ((message: string) => console.warn(`[web] ${message}`))
  if (options.token !== undefined && !TOKEN_PATTERN.test(options.token)) {
    throw new Error(`the token must be ${TOKEN_RULE}`)
  }
  const token = options.token ?? createControlToken()
  const serveStatic = createStaticHandler(staticDir)
  let port = 0

  const server = createServer((request, response) => {
    // DNS rebinding: a foreign name resolving to 127.0.0.1 must not read our pages either.
    if (!isOurHost(request.headers.host, port)) {
      response.writeHead(403, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' })
      response.end(`Host must be 127.0.0.1:${port} or localhost:${port}.\n`)
      return
    }
    const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1')
    const readsPage = isPagePath(pathname) && (request.method === 'GET' || request.method === 'HEAD')
    if (readsPage && !authorizePage(request.url, { port, token }).ok) {
      sendTokenRefusedPage(response, request.method)
      return
    }
    if (pathname === RECORDING_DOWNLOAD_PATH) {
      serveRecordingDownload(request, response, { host: options.host, port, token, log }).catch(
        (failure: unknown) => {
          log(`recording download failed: ${failure instanceof Error ? failure.message : String(failure)}`)
          response.destroy()
        }
      )
      return
    }
    serveStatic(request, response)
  })
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayload ?? CONTROL_MAX_PAYLOAD_BYTES,
    perMessageDeflate: false
  })

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (failure) => log(`upgrade socket error: ${failure.message}`))
    const verdict = authorizeUpgrade(request, { port, token })
    if (!verdict.ok) {
      log(`refused a ${CONTROL_PATH} upgrade (${verdict.status}): ${verdict.reason}`)
      refuse(socket, verdict.status, verdict.reason)
      return
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      serveControlConnection(ws, {
        host: options.host,
        maxBufferedBytes: options.maxBufferedBytes ?? CONTROL_MAX_BUFFERED_BYTES,
        behindBytes: options.behindBytes ?? CONTROL_BEHIND_BYTES,
        stallMs: options.stallMs ?? CONTROL_STALL_MS,
        log
      })
    })
  })

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', rejectListen)
      resolveListen()
    })
  })
  port = (server.address() as AddressInfo).port
  server.on('error', (failure) => log(`server error: ${failure.message}`))

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      const closed = [...wss.clients].map((client) => new Promise((done) => client.once('close', done)))
      for (const client of wss.clients) client.close(1001, 'Server shutting down')
      // A client that never answers the close handshake must not hold the shutdown up.
      const grace = new Promise((done) => setTimeout(done, CLOSE_GRACE_MS).unref())
      await Promise.race([Promise.all(closed), grace])
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((done) => wss.close(() => done()))
      await new Promise<void>((done) => {
        server.close(() => done())
        server.closeAllConnections()
      })
    }
  }
}
