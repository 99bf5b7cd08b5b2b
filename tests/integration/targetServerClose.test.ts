import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { LOAD_EXIT } from '../../src/main/runtime/load/runLoad'
import { parseTargetFile } from '../../src/main/target/loadTargetFile'
import { prepareTarget } from '../../src/main/target/prepareTarget'
import { runTarget } from '../../src/main/target/runTarget'
import { targetExitCode } from '../../src/main/target/targetReport'

const IDLE_MS = 300

/**
 * A backend that drops idle clients as many do: a connection that has sent nothing for IDLE_MS is closed with a
 * close frame, 4408 'no ping'. Each `{"run"}` gets agent_started and agent_completed with the user's ids; any other
 * message (a ping) only keeps the connection.
 */
async function startIdleClosingBackend() {
  const http: Server = createServer((_request, response) => response.writeHead(404).end())
  const wss = new WebSocketServer({ server: http })
  wss.on('connection', (socket, request) => {
    const user = new URL(request.url ?? '/', 'http://h').searchParams.get('user') ?? ''
    let idle = setTimeout(() => socket.close(4408, 'no ping'), IDLE_MS)
    socket.on('message', (data) => {
      clearTimeout(idle)
      idle = setTimeout(() => socket.close(4408, 'no ping'), IDLE_MS)
      const { run, text } = JSON.parse(String(data)) as { run?: string; text?: string }
      if (run === undefined) return
      for (const type of ['agent_started', 'agent_completed'])
        socket.send(JSON.stringify({ type, user_id: user, run_id: `${user}-${run}`, text }))
    })
    socket.on('close', () => clearTimeout(idle))
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  return {
    url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws?user={{user_id}}`,
    close: async () => {
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      await new Promise<void>((resolve) => http.close(() => resolve()))
    }
  }
}

let backend: Awaited<ReturnType<typeof startIdleClosingBackend>> | null = null
afterEach(async () => {
  await backend?.close()
  backend = null
})

const idleTarget = (url: string, extra: Record<string, unknown>) =>
  parseTargetFile(
    'idle',
    JSON.stringify({
      url,
      start: { run: '{{run}}', text: 'hello from {{canary}}' },
      events: { types: { agent_started: 'agent_started', agent_completed: 'agent_completed' } },
      ...extra
    })
  )

describe('a server that closes the connections while runs are still to come', () => {
  it('is named as the closer, with its code and reason, and the verdict says it went away', async () => {
    backend = await startIdleClosingBackend()
    const file = idleTarget(backend.url, {
      // Longer than the server's idle limit, and no heartbeat: the server closes between runs 1 and 2.
      load: { thinkTimeMs: IDLE_MS * 4 },
      timeouts: { connectMs: 2_000, runMs: 10_000, settleMs: 100 }
    })
    const users = prepareTarget('idle', file, { users: 2 })
    const report = await runTarget(file, users, { runs: 2, bus: new InspectionBus() })
    expect(
      report.users.closedByServer.map(({ user_id, code, reason }) => `${user_id} ${code} ${reason}`).sort()
    ).toEqual(['user_1 4408 no ping', 'user_2 4408 no ping'])
    expect(report.verdict).toContain(
      'the server went away: it closed all 2 connection(s) during the runs (code 4408)'
    )
    // Run 2 was due after the close: never sent, so incomplete (5), not a run the backend lost (3).
    expect(
      report.stepFailures.shown.map(({ user_id, run, error }) => `${user_id} ${run} ${error}`).sort()
    ).toEqual([
      'user_1 2 not sent: the server had closed the connection',
      'user_2 2 not sent: the server had closed the connection'
    ])
    expect(report.runs).toEqual({ requested: 4, finished: 2, unseen: 0 })
    expect(targetExitCode(report)).toBe(LOAD_EXIT.incomplete)
  })

  it('runs still due when the run timeout passes are reported as not sent, not as runs the backend lost', async () => {
    backend = await startIdleClosingBackend()
    const file = idleTarget(backend.url, {
      heartbeat: { everyMs: 100, message: { ping: true } },
      load: { thinkTimeMs: 3_000 },
      timeouts: { connectMs: 2_000, runMs: 500, settleMs: 100 }
    })
    const users = prepareTarget('idle', file, { users: 1 })
    const report = await runTarget(file, users, { runs: 2, bus: new InspectionBus() })
    expect(report.users.closedByServer).toEqual([])
    expect(report.stepFailures.shown).toEqual([
      { user_id: 'user_1', run: 2, error: 'not sent: the run timeout (timeouts.runMs) passed first' }
    ])
    expect(report.runs).toEqual({ requested: 2, finished: 1, unseen: 0 })
    expect(report.timedOut).toBe(true)
    expect(targetExitCode(report)).toBe(LOAD_EXIT.incomplete)
  })
})
