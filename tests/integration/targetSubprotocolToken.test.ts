import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { LOAD_EXIT } from '../../src/main/runtime/load/runLoad'
import { parseTargetFile } from '../../src/main/target/loadTargetFile'
import { prepareTarget } from '../../src/main/target/prepareTarget'
import { runTarget } from '../../src/main/target/runTarget'
import { TargetFileError } from '../../src/main/target/targetFileError'
import { targetExitCode } from '../../src/main/target/targetReport'

const TOKEN_PREFIX = 'token.'

/**
 * A backend that, like browser-first servers that cannot read headers from a browser, takes each user's token in
 * Sec-WebSocket-Protocol ("chat.v2", "token.tk-<user>") and refuses the upgrade with 401 without it.
 */
async function startTokenProtocolBackend(): Promise<{ url: string; close: () => Promise<void> }> {
  const http: Server = createServer((_request, response) => response.writeHead(404).end())
  const wss = new WebSocketServer({
    server: http,
    handleProtocols: (protocols) => (protocols.has('chat.v2') ? 'chat.v2' : false),
    verifyClient: (info, done) => {
      const offered = String(info.req.headers['sec-websocket-protocol'] ?? '').split(',')
      const token = offered.map((value) => value.trim()).find((value) => value.startsWith(TOKEN_PREFIX))
      if (token === undefined || !/^tk-user_\d+$/.test(token.slice(TOKEN_PREFIX.length)))
        done(false, 401, 'Unauthorized')
      else done(true)
    }
  })
  wss.on('connection', (socket, request) => {
    const offered = String(request.headers['sec-websocket-protocol']).split(',').map((value) => value.trim())
    const user = (offered.find((value) => value.startsWith(TOKEN_PREFIX)) ?? '').slice('token.tk-'.length)
    socket.on('message', (data) => {
      const { run, text } = JSON.parse(String(data)) as { run: number; text: string }
      for (const type of ['agent_started', 'agent_completed'])
        socket.send(JSON.stringify({ type, user_id: user, run_id: `${user}-${run}`, text }))
    })
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  return {
    url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/chat`,
    close: async () => {
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      await new Promise<void>((resolve) => http.close(() => resolve()))
    }
  }
}

const targetFile = (url: string, token: string) =>
  parseTargetFile(
    'token-protocol',
    JSON.stringify({
      url,
      subprotocols: ['chat.v2', 'token.{{token}}'],
      users: { token },
      start: { run: '{{run}}', text: 'hello from {{canary}}' },
      events: { types: { agent_started: 'agent_started', agent_completed: 'agent_completed' } },
      timeouts: { connectMs: 2_000, runMs: 5_000, settleMs: 100 }
    })
  )

let backend: Awaited<ReturnType<typeof startTokenProtocolBackend>> | null = null
afterEach(async () => {
  await backend?.close()
  backend = null
})

describe('a token offered as a subprotocol (subprotocols templated per user)', () => {
  it("carries each user's own token to a backend that reads it there: clean", async () => {
    backend = await startTokenProtocolBackend()
    const file = targetFile(backend.url, 'tk-{{user_id}}')
    const users = prepareTarget('token-protocol', file, { users: 3 })
    const report = await runTarget(file, users, { runs: 2, bus: new InspectionBus() })
    expect(report.runs.finished).toBe(6)
    expect(targetExitCode(report)).toBe(LOAD_EXIT.clean)
  })

  it('names Sec-WebSocket-Protocol among what was sent when refused, never its value', async () => {
    backend = await startTokenProtocolBackend()
    const file = targetFile(backend.url, 'wrong-{{user_id}}')
    const users = prepareTarget('token-protocol', file, { users: 1 })
    const report = await runTarget(file, users, { runs: 1, bus: new InspectionBus() })
    expect(targetExitCode(report)).toBe(LOAD_EXIT.incomplete)
    expect(report.users.failed.map((failure) => failure.error)).toEqual([
      'handshake refused with HTTP 401: Unauthorized; sent header Sec-WebSocket-Protocol (values redacted); check auth and users in the target file'
    ])
  })

  it('refuses, before anything connects, a value that renders to something a subprotocol cannot carry', () => {
    const file = targetFile('ws://127.0.0.1:9/chat', 'tk {{user_id}}')
    let problems: string[] = []
    try {
      prepareTarget('token-protocol', file, { users: 1 })
    } catch (error) {
      if (error instanceof TargetFileError) problems = error.problems
    }
    expect(problems).toEqual([
      "subprotocols.1: 'token.{{token}}' renders to a value that is not an HTTP token (letters, digits and !#$%&'*+.^_`|~- only, no spaces, '=' or '/'); encode the value (e.g. base64url) or send it in auth or headers"
    ])
  })
})
