import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  startSocketIoBackend,
  type SocketIoBackend,
  type SocketIoBug
} from '../fixtures/socketioBackend/socketioBackend'
import { runTargetJson } from '../helpers/targetJson'

const EXAMPLE = new URL('../../examples/socketio.target.json', import.meta.url)

/** The Socket.IO example, pointed at a backend on its test port, with changes applied. */
function socketIoTarget(
  backend: SocketIoBackend,
  change: (json: Record<string, unknown>) => void = () => {}
) {
  const json = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>
  json.url = backend.origin
  json.timeouts = { connectMs: 5_000, runMs: 10_000, settleMs: 100, ackMs: 5_000 }
  change(json)
  return json
}

async function against(
  bug: SocketIoBug | null,
  users = 3,
  runs = 2,
  change?: (json: Record<string, unknown>) => void
) {
  const backend = await startSocketIoBackend({ bug })
  try {
    return await runTargetJson(socketIoTarget(backend, change), { users, runs })
  } finally {
    await backend.close()
  }
}

describe('target mode against a Socket.IO backend (socket.io-client, real socket.io server)', () => {
  it('judges the correct backend clean: the ack captured a job id that the next emit used, nothing unparsed', async () => {
    const { report, exitCode } = await against(null)
    expect(report.users.connected).toBe(3)
    expect(report.frames.events).toBe(30)
    // The runs start only when `go` names the job id captured from start's ack: 6 finished runs prove the capture.
    expect(report.runs.finished).toBe(6)
    // Engine.IO and Socket.IO control packets never reach the reader; only the welcome event, ignored as ready.
    expect(report.frames.unparsed).toBe(0)
    expect(report.frames.ignored).toBe(3)
    expect(report.frames.serverErrors).toBe(0)
    expect(report.perUser.map((user) => [user.user_id, user.own, user.foreign])).toEqual([
      ['user_1', 10, 0],
      ['user_2', 10, 0],
      ['user_3', 10, 0]
    ])
    expect(exitCode).toBe(0)
  })

  it('connects on a server path of its own (socketio.path), and says where it tried when the path is wrong', async () => {
    const backend = await startSocketIoBackend({ path: '/rt' })
    try {
      const right = await runTargetJson(
        socketIoTarget(backend, (json) => {
          json.socketio = { namespace: '/agents', path: '/rt', auth: { token: '{{token}}' } }
        }),
        { users: 2, runs: 1 }
      )
      expect(right.exitCode).toBe(0)
      const wrong = await runTargetJson(socketIoTarget(backend), { users: 1, runs: 1 })
      expect(wrong.exitCode).toBe(5)
      expect(wrong.report.users.failed[0]?.error).toContain(
        '(namespace /agents, path /socket.io) failed: websocket error: socket hang up; is socketio.path (and the url) right?'
      )
    } finally {
      await backend.close()
    }
  })

  it('connects by long-polling first when told, with the namespace taken from the url path', async () => {
    const { report, exitCode } = await against(null, 2, 1, (json) => {
      json.url = `${String(json.url)}/agents`
      json.socketio = { auth: { token: '{{token}}' }, transports: ['polling', 'websocket'] }
    })
    expect(report.frames.events).toBe(10)
    expect(exitCode).toBe(0)
  })

  it('finds the broadcast bug: every user got every other user’s events, by ids and by canary', async () => {
    const { report, exitCode } = await against('broadcast')
    expect(exitCode).toBe(1)
    expect(report.violations).toBe(60)
    expect(report.leaks.map((leak) => `${leak.from}->${leak.to}:${leak.events}`)).toEqual([
      'user_1->user_2:10',
      'user_1->user_3:10',
      'user_2->user_1:10',
      'user_2->user_3:10',
      'user_3->user_1:10',
      'user_3->user_2:10'
    ])
    expect(report.canaryLeaks).toBe(12)
  })

  it('finds the shared room: two users in one room get each other’s events', async () => {
    const { report, exitCode } = await against('shared_room', 2, 1)
    expect(exitCode).toBe(1)
    expect(
      report.leaks.map((leak) => `${leak.from}->${leak.to}:${leak.events}:${leak.canaryFrames}`)
    ).toEqual(['user_1->user_2:5:1', 'user_2->user_1:5:1'])
  })

  it('finds the dropped event: every run is missing tool_completed, and nobody leaked', async () => {
    const { report, exitCode } = await against('drop_event', 2, 2)
    expect(exitCode).toBe(3)
    expect(report.violations).toBe(0)
    expect(report.runProblems).toHaveLength(4)
    for (const problem of report.runProblems) expect(problem.missing).toEqual(['tool_completed'])
  })

  it('says the handshake was refused, with the middleware’s message and data', async () => {
    const { report, exitCode } = await against(null, 1, 1, (json) => {
      json.socketio = { namespace: '/agents', auth: { token: 'wrong-{{canary}}' } }
    })
    expect(exitCode).toBe(5)
    expect(report.users.failed[0]?.error).toContain(
      'refused: unauthorized {"hint":"send auth.token or log in"}'
    )
  })

  it('reports an acknowledgement that never comes: the run stopped at that step, incomplete (5), not waited for', async () => {
    const { report, of, exitCode } = await against(null, 1, 1, (json) => {
      json.run = [{ emit: 'nobody-answers', args: ['{{canary}}'], ack: true, capture: { job: '/jobId' } }]
      json.timeouts = { connectMs: 5_000, runMs: 20_000, settleMs: 50, ackMs: 200 }
    })
    expect(report.runs.finished).toBe(0)
    expect(report.stepFailures).toEqual({
      runs: 1,
      shown: [
        {
          user_id: 'user_1',
          run: 1,
          error: "no acknowledgement of 'nobody-answers' within 200 ms (timeouts.ackMs)"
        }
      ]
    })
    // Not a run of which no event was seen (3): it was never started as written.
    expect(report.runs.unseen).toBe(0)
    expect(report.timedOut).toBe(false)
    expect(exitCode).toBe(5)
    expect(of('warning').map((warning) => warning.message)).toContain(
      "user_1: run 1: no acknowledgement of 'nobody-answers' within 200 ms (timeouts.ackMs)"
    )
  })
})
