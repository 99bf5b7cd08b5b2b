import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntimeHost, type RuntimeHost } from '../../src/main/host/runtimeHost'
import { startWebServer, type WebServer } from '../../src/main/host/web'
import type { ControlServerFrame } from '../../src/shared/controlFrames'
import { recordingExportResultSchema, type Command } from '../../src/shared/inspectorApi'
import { createStaticRoot } from './webSupport/staticRoot'
import { connect, type ControlClient } from './webSupport/wsClient'

/** Far fewer events than the session emits: an export that read the history ring would come up short. */
const HISTORY_LIMIT = 100

const staticRoot = createStaticRoot()
let host: RuntimeHost
let web: WebServer

beforeAll(async () => {
  host = await createRuntimeHost({ stepDelayMs: 0, flushMs: 10, historyLimit: HISTORY_LIMIT })
  web = await startWebServer({ host, staticDir: staticRoot.root, log: () => {} })
})
afterAll(async () => {
  await web.close()
  await host.close()
  staticRoot.remove()
})

async function open(): Promise<ControlClient> {
  const outcome = await connect(`ws://127.0.0.1:${web.port}/control?token=${web.token}`, {
    origin: `http://127.0.0.1:${web.port}`
  })
  if (outcome.kind !== 'open')
    throw new Error(`expected an open control socket, got ${JSON.stringify(outcome)}`)
  return outcome.client
}

function get(
  path: string,
  headers: Record<string, string> = {}
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = request(
      { host: '127.0.0.1', port: web.port, path, headers: { host: `127.0.0.1:${web.port}`, ...headers } },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8')
          })
        )
      }
    )
    sent.on('error', reject)
    sent.end()
  })
}

function send(client: ControlClient, id: number, command: Command): void {
  client.sendRaw(JSON.stringify({ id, command }))
}

const replyResult = (frame: ControlServerFrame): unknown =>
  'reply' in frame && frame.reply.ok ? frame.reply.result : frame

describe('export streams the whole session, not the history ring', () => {
  it('exports every event emitted, far more than the history keeps, and downloads it with the token', async () => {
    const client = await open()
    send(client, 1, { cmd: 'add_users', count: 3 })
    await client.reply(1)
    send(client, 2, { cmd: 'start_runs', runs: 10 })
    await client.reply(2)
    // 30 runs: wait for the last run_completed to be pushed, not for a while.
    let completed = 0
    await client.next((frame) => {
      if ('push' in frame && frame.push.type === 'events') {
        completed += frame.push.events.filter((event) => event.kind === 'run_completed').length
      }
      return completed === 30
    }, 15_000)

    send(client, 3, { cmd: 'recording_export' })
    const exported = recordingExportResultSchema.parse(replyResult(await client.reply(3)))
    expect(exported.events).toBeGreaterThan(HISTORY_LIMIT * 3)

    const download = await get(`/recording?token=${web.token}&bytes=${exported.bytes}`)
    expect(download.status).toBe(200)
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="session-.*\.ndjson"$/)
    expect(Buffer.byteLength(download.body)).toBe(exported.bytes)
    const [header, ...lines] = download.body.trimEnd().split('\n')
    expect(header).toBe('{"format":"session-inspector-recording","version":2}')
    expect(lines).toHaveLength(exported.events)
    // Every event from seq 0 on, in order, none missing: the whole session.
    expect(lines.map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual(lines.map((_, at) => at))
    expect(lines.filter((line) => line.includes('"kind":"run_completed"'))).toHaveLength(30)

    // The history the UI says hello with holds only its limit.
    send(client, 4, { cmd: 'hello' })
    const hello = replyResult(await client.reply(4)) as { history: unknown[] }
    expect(hello.history).toHaveLength(HISTORY_LIMIT)
    client.close()
  }, 30_000)

  it('refuses the download without the token, from another site, or by another Host name', async () => {
    expect((await get('/recording')).status).toBe(401)
    expect((await get('/recording?token=wrong')).status).toBe(401)
    expect((await get(`/recording?token=${web.token}`, { origin: 'http://evil.example' })).status).toBe(403)
    expect((await get(`/recording?token=${web.token}`, { 'sec-fetch-site': 'cross-site' })).status).toBe(403)
    expect((await get(`/recording?token=${web.token}`, { host: `evil.example:${web.port}` })).status).toBe(
      403
    )
  })
})
