import { request } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { networkInterfaces, tmpdir } from 'node:os'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWebServer } from '../../src/main/host/web'
import type { WebServer } from '../../src/main/host/web'
import { CONTENT_SECURITY_POLICY } from '../../src/main/security/contentSecurityPolicy'
import { createFakeHost } from './webSupport/fakeHost'
import { createStaticRoot } from './webSupport/staticRoot'

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw request: Node's client sends the path exactly as given, so `..` reaches the server un-normalised. */
function get(port: number, path: string, options: { method?: string; host?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { Host: options.host ?? `127.0.0.1:${port}` }
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString()
          })
        )
      }
    )
    outgoing.on('error', reject)
    outgoing.end()
  })
}

const staticRoot = createStaticRoot()
let server: WebServer

beforeAll(async () => {
  server = await startWebServer({ host: createFakeHost().host, staticDir: staticRoot.root, log: () => {} })
})
afterAll(async () => {
  await server.close()
  staticRoot.remove()
})

describe('web mode static files', () => {
  it('serves index.html at / with the CSP and nosniff', async () => {
    const answer = await get(server.port, `/?token=${server.token}`)
    expect(answer.status).toBe(200)
    expect(answer.body).toContain('Session Inspector')
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(answer.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    expect(answer.headers['x-content-type-options']).toBe('nosniff')
    expect(answer.headers['referrer-policy']).toBe('no-referrer')
  })

  it('serves assets with their type, and HEAD without a body', async () => {
    const answer = await get(server.port, '/assets/app.js')
    expect(answer).toMatchObject({ status: 200, body: 'console.log("app")' })
    expect(answer.headers['content-type']).toBe('text/javascript; charset=utf-8')
    const head = await get(server.port, '/assets/app.js', { method: 'HEAD' })
    expect(head).toMatchObject({ status: 200, body: '' })
    expect(head.headers['content-length']).toBe(String('console.log("app")'.length))
  })

  it('answers 404 with the CSP for a missing file', async () => {
    const answer = await get(server.port, '/nope.js')
    expect(answer.status).toBe(404)
    expect(answer.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
  })

  for (const path of [
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/assets/..%5c..%5csecret.txt',
    '/..\\secret.txt'
  ]) {
    it(`refuses traversal ${path}`, async () => {
      const answer = await get(server.port, path)
      expect(answer.status).toBe(403)
      expect(answer.body).not.toContain(staticRoot.secret)
    })
  }

  it('refuses NUL bytes and malformed escapes', async () => {
    expect((await get(server.port, '/index.html%00.js')).status).toBe(403)
    expect((await get(server.port, '/%E0%A4%A')).status).toBe(400)
  })

  it('refuses methods other than GET and HEAD', async () => {
    const answer = await get(server.port, '/', { method: 'POST' })
    expect(answer.status).toBe(405)
    expect(answer.headers['allow']).toBe('GET, HEAD')
  })

  it('refuses a foreign Host header (DNS rebinding) for pages too', async () => {
    const answer = await get(server.port, '/', { host: `rebind.example:${server.port}` })
    expect(answer.status).toBe(403)
    expect(answer.body).not.toContain('Session Inspector')
    expect(
      (await get(server.port, `/?token=${server.token}`, { host: `localhost:${server.port}` })).status
    ).toBe(200)
  })
})

describe('the page without its token', () => {
  const refusals = [
    ['no token', '/'],
    ['an empty token', '/?token='],
    ['a wrong token', '/?token=' + 'x'.repeat(43)],
    ['a wrong token for /index.html', '/index.html?token=abc']
  ] as const
  for (const [what, path] of refusals) {
    it(`answers ${what} with a 401 page that says so, and nothing of the app`, async () => {
      const answer = await get(server.port, path)
      expect(answer.status).toBe(401)
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(answer.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
      expect(answer.body).toContain('data-testid="token-refused"')
      expect(answer.body).toContain('Wrong or missing token')
      expect(answer.body).not.toContain('<title>Session Inspector</title>')
    })
  }

  it('answers HEAD with the same 401 and no body', async () => {
    const answer = await get(server.port, '/', { method: 'HEAD' })
    expect(answer).toMatchObject({ status: 401, body: '' })
  })

  it('serves the page at /index.html with the right token, and the bundle to anyone (it holds no secret)', async () => {
    expect((await get(server.port, `/index.html?token=${server.token}`)).status).toBe(200)
    expect((await get(server.port, '/assets/app.js')).status).toBe(200)
  })
})

describe('web mode start-up', () => {
  it('fails with what to run when the renderer was not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'inspector-unbuilt-'))
    try {
      await expect(startWebServer({ host: createFakeHost().host, staticDir: empty })).rejects.toThrow(
        /npm run build:web/
      )
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })

  const external = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry?.family === 'IPv4' && !entry.internal)?.address

  it.skipIf(external === undefined)(
    `is not reachable on a non-loopback address (${external ?? 'none here'})`,
    async () => {
      const refused = new Promise<string>((resolve) => {
        const socket = connect({ host: external, port: server.port })
        socket.once('connect', () => {
          socket.destroy()
          resolve('connected')
        })
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
      })
      expect(await refused).toBe('ECONNREFUSED')
    }
  )
})
