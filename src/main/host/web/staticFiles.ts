import { createReadStream, existsSync } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'
import { SECURITY_HEADERS } from '../../security/securityHeaders'

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8'
}

/** The renderer to serve was never built (or --static names a folder without one). */
export class RendererNotBuiltError extends Error {}

/** Fails at start, not at the first request, when the renderer was never built. */
export function assertRendererBuilt(root: string): void {
  const index = join(root, 'index.html')
  if (!existsSync(index)) {
    throw new RendererNotBuiltError(
      `Web mode serves the built renderer, but ${index} does not exist. Run \`npm run build:web\` first ` +
        '(it writes out/renderer), or pass --static DIR naming a folder with a built renderer.'
    )
  }
}

export type StaticTarget = { ok: true; relative: string } | { ok: false; status: 400 | 403; reason: string }

/**
 * Maps a raw request target to a path inside the root. Refuses `..` segments (raw or percent-encoded), backslashes
 * and NUL rather than normalising them away, so a traversal attempt is visible as a 403.
 */
export function staticTarget(rawUrl: string): StaticTarget {
  const rawPath = rawUrl.split('?', 1)[0] ?? '/'
  let decoded: string
  try {
    decoded = decodeURIComponent(rawPath)
  } catch {
    return { ok: false, status: 400, reason: 'Malformed percent-encoding in the path' }
  }
  if (!decoded.startsWith('/')) return { ok: false, status: 400, reason: 'The path must start with /' }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').includes('..')) {
    return { ok: false, status: 403, reason: 'Path traversal refused' }
  }
  const relative = decoded === '/' || decoded.endsWith('/') ? `${decoded}index.html` : decoded
  return { ok: true, relative: relative.slice(1) }
}

function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  extra: Record<string, string> = {}
): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    ...extra,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text)
  })
  response.end(text)
}

/** Serves GET/HEAD for files under root, every response with our security headers. */
export function createStaticHandler(
  root: string
): (request: IncomingMessage, response: ServerResponse) => void {
  const absoluteRoot = resolve(root)

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendText(response, 405, 'Only GET and HEAD are served here.', { Allow: 'GET, HEAD' })
      return
    }
    const target = staticTarget(request.url ?? '/')
    if (!target.ok) {
      sendText(response, target.status, target.reason)
      return
    }
    const file = resolve(absoluteRoot, target.relative)
    const rootPrefix = (await realpath(absoluteRoot)) + sep
    const info = await stat(file).catch(() => null)
    // Containment is checked on the real path, so a symlink cannot lead out of the root either.
    const real = info?.isFile() ? await realpath(file).catch(() => null) : null
    if (real === null || !real.startsWith(rootPrefix) || info === null) {
      sendText(response, 404, `Not found: ${target.relative}`)
      return
    }
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': CONTENT_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': 'no-cache'
    })
    if (request.method === 'HEAD') {
      response.end()
      return
    }
    createReadStream(real)
      .on('error', () => response.destroy())
      .pipe(response)
  }

  return (request, response) => {
    serve(request, response).catch(() => {
      if (!response.headersSent) sendText(response, 500, 'Internal error while serving a static file.')
      else response.destroy()
    })
  }
}
