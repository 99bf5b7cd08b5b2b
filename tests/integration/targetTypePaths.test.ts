import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { LOAD_EXIT } from '../../src/main/runtime/load/runLoad'
import { createFrameReader } from '../../src/main/target/frameReader'
import { parseTargetFile } from '../../src/main/target/loadTargetFile'
import { prepareTarget } from '../../src/main/target/prepareTarget'
import { runTarget } from '../../src/main/target/runTarget'
import { targetExitCode } from '../../src/main/target/targetReport'

const KINDS = ['STARTED', 'THINKING', 'TOOL_CALL', 'TOOL_RESULT', 'FINISHED']

/**
 * A graphql-transport-ws server: `connection_init` (token in its payload) answered by `connection_ack`, a
 * `subscribe` by five `next` frames whose type is the agent event's `kind` deep in `payload.data`, then `complete`:
 * the protocol's own frames keep their type at `/type`, the events theirs at `/payload/data/agentRun/kind`.
 * With `broadcast`, every `next` goes to every connection.
 */
async function startGraphqlWsBackend(broadcast: boolean) {
  const http: Server = createServer((_request, response) => response.writeHead(404).end())
  const wss = new WebSocketServer({
    server: http,
    handleProtocols: (offered) => (offered.has('graphql-transport-ws') ? 'graphql-transport-ws' : false)
  })
  let runs = 0
  wss.on('connection', (socket) => {
    let user: string | null = null
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as {
        type: string
        id?: string
        payload?: { token?: string; variables?: { prompt?: string } }
      }
      if (message.type === 'connection_init') {
        user = /^tk-(.+)$/.exec(message.payload?.token ?? '')?.[1] ?? null
        if (user === null) socket.close(4403, 'Forbidden')
        else socket.send(JSON.stringify({ type: 'connection_ack' }))
        return
      }
      // A graphql-transport-ws server closes a subscribe that arrives before its connection_ack.
      if (message.type !== 'subscribe' || user === null) return socket.close(4401, 'Unauthorized')
      const runId = ++runs
      const receivers = broadcast ? [...wss.clients] : [socket]
      for (const kind of KINDS) {
        const agentRun = { kind, userId: user, runId, prompt: message.payload?.variables?.prompt }
        const next = JSON.stringify({ id: message.id, type: 'next', payload: { data: { agentRun } } })
        for (const receiver of receivers) if (receiver.readyState === WebSocket.OPEN) receiver.send(next)
      }
      socket.send(JSON.stringify({ id: message.id, type: 'complete' }))
    })
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  return {
    url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`,
    close: async () => {
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      await new Promise<void>((resolve) => http.close(() => resolve()))
    }
  }
}

const graphqlTarget = (url: string) =>
  parseTargetFile(
    'graphql-ws',
    JSON.stringify({
      url,
      subprotocols: ['graphql-transport-ws'],
      users: { token: 'tk-{{user_id}}' },
      auth: { in: 'message', message: { type: 'connection_init', payload: { token: '{{token}}' } } },
      ready: { type: 'connection_ack' },
      start: {
        type: 'subscribe',
        id: 's-{{run}}',
        payload: { query: 'subscription { agentRun { kind } }', variables: { prompt: 'hi {{canary}}' } }
      },
      events: {
        type: ['/payload/data/agentRun/kind', '/type'],
        userId: '/payload/data/agentRun/userId',
        runId: '/payload/data/agentRun/runId',
        types: {
          agent_started: 'STARTED',
          agent_thinking: 'THINKING',
          tool_executing: 'TOOL_CALL',
          tool_completed: 'TOOL_RESULT',
          agent_completed: 'FINISHED'
        },
        ignore: ['complete']
      },
      timeouts: { connectMs: 2_000, runMs: 5_000, settleMs: 100 }
    })
  )

let backend: Awaited<ReturnType<typeof startGraphqlWsBackend>> | null = null
afterEach(async () => {
  await backend?.close()
  backend = null
})

async function audit(broadcast: boolean) {
  backend = await startGraphqlWsBackend(broadcast)
  const file = graphqlTarget(backend.url)
  const users = prepareTarget('graphql-ws', file, { users: 2 })
  const report = await runTarget(file, users, { runs: 2, bus: new InspectionBus() })
  return { report, exitCode: targetExitCode(report) }
}

describe('events.type as a list of paths, tried in order (graphql-transport-ws)', () => {
  it('reads the ack and completions at /type and the events deep in the payload: a correct server is clean', async () => {
    const { report, exitCode } = await audit(false)
    expect(report.users.connected).toBe(2)
    expect(report.frames).toMatchObject({ events: 20, unparsed: 0, ignored: 6, otherTypes: {} })
    expect(exitCode).toBe(LOAD_EXIT.clean)
  })

  it('a server that broadcasts every next frame leaks both ways', async () => {
    const { report, exitCode } = await audit(true)
    expect(exitCode).toBe(LOAD_EXIT.violation)
    expect(report.leaks.map((leak) => `${leak.from}->${leak.to}`)).toEqual([
      'user_1->user_2',
      'user_2->user_1'
    ])
  })

  it('says what every path found when none holds a type', () => {
    const read = createFrameReader(graphqlTarget('ws://127.0.0.1:9/graphql'))
    expect(read('{"id": "s-1", "payload": {}}')).toEqual({
      kind: 'unparsed',
      problem:
        "no readable type: no 'data' in 'payload' (path /payload/data/agentRun/kind), which is an empty object; no 'type' in the frame (path /type), which has the keys id, payload"
    })
  })
})
