import { createReadStream } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { SECURITY_HEADERS } from '../../security/securityHeaders'
import type { InspectorHost } from '../inspectorHost'
import { authorizeDownload } from './requestGuards'

/**
 * `GET /recording?token=…&bytes=N`: the session's recording as an attachment, streamed from the host's spool file
 * and cut at N bytes (what `recording_export` counted), so a file of any size never sits in memory or in a frame.
 */
export async function serveRecordingDownload(
  request: IncomingMessage,
  response: ServerResponse,
  options: { host: InspectorHost; port: number; token: string; log: (message: string) => void }
): Promise<void> {
  const plain = { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }
  const verdict = authorizeDownload(request, options)
  if (!verdict.ok) {
    options.log(`refused a recording download (${verdict.status}): ${verdict.reason}`)
    response.writeHead(verdict.status, plain).end(`${verdict.reason}\n`)
    return
  }
  if (request.method !== 'GET' || options.host.exportRecording === undefined) {
    response.writeHead(405, plain).end('Only GET, on a host that records its session.\n')
    return
  }
  const asked = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('bytes')
  const limit = asked !== null && /^\d{1,15}$/.test(asked) ? Number(asked) : Number.POSITIVE_INFINITY
  const recorded = await options.host.exportRecording()
  const bytes = Math.min(limit, recorded.bytes)
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/x-ndjson; charset=utf-8',
    'Content-Length': String(bytes),
    'Content-Disposition': `attachment; filename="session-${new Date().toISOString().replace(/[:.]/g, '-')}.ndjson"`,
    'Cache-Control': 'no-store'
  })
  if (bytes === 0) return void response.end()
  await pipeline(createReadStream(recorded.path, { start: 0, end: bytes - 1 }), response)
}
