import { describe, expect, it } from 'vitest'
import { LOAD_EXIT } from '../../src/main/runtime/load/runLoad'
import { startSocketIoBackend, type SocketIoBug } from '../fixtures/socketioBackend/socketioBackend'
import { BY_CONNECTION, BY_REQUEST, chatTargetJson, targetChatBackend } from '../helpers/chatTarget'
import { runTargetJson } from '../helpers/targetJson'

const pairs = (leaks: Array<{ from: string; to: string }>): string[] =>
  leaks.map((leak) => `${leak.from}->${leak.to}`)

describe('target mode on a backend whose events carry no owner ids', () => {
  it('by request: a correct backend is clean, every answer owned by the user whose request id it carries', async () => {
    const { report, exitCode } = await targetChatBackend(null, chatTargetJson({ events: BY_REQUEST }), {
      users: 3,
      runs: 2
    })
    expect(report.verdict).toMatch(/^clean/)
    expect(exitCode).toBe(LOAD_EXIT.clean)
    expect(report.frames).toMatchObject({ events: 12, ownerUnreadable: 0, ignored: 12 })
    expect(report.runs).toEqual({ requested: 6, finished: 6, unseen: 0 })
    expect(report.perUser.map((user) => [user.user_id, user.own, user.foreign])).toEqual([
      ['user_1', 4, 0],
      ['user_2', 4, 0],
      ['user_3', 4, 0]
    ])
  })

  it('by request: wrong-user routing is a leak by the request ids alone, content or not', async () => {
    const { report, exitCode } = await targetChatBackend('wrong_user', chatTargetJson({ events: BY_REQUEST }))
    expect(exitCode).toBe(LOAD_EXIT.violation)
    expect(pairs(report.leaks)).toEqual(['user_1->user_2', 'user_2->user_1'])
    for (const leak of report.leaks) expect(leak).toMatchObject({ events: 2, canaryFrames: 1 })
  })

  it('by request: an answer carrying an id no user sent is counted unreadable, with the reason, exit 5', async () => {
    const json = chatTargetJson({ events: { ...BY_REQUEST, requestIdSent: 'other-{{user_id}}-{{run}}' } })
    const { report, exitCode } = await targetChatBackend(null, json)
    expect(exitCode).toBe(LOAD_EXIT.incomplete)
    expect(report.frames.ownerUnreadable).toBe(4)
    expect(report.frames.problems[0]?.problem).toMatch(
      /^owner unreadable: request id 'q-user_1-1' is not one any user sent/
    )
    expect(report.verdict).toMatch(/4 event\(s\) with an unreadable owner/)
  })

  it('by connection: clean on the correct backend, broadcast caught by the canaries', async () => {
    const clean = await targetChatBackend(null, chatTargetJson({ events: BY_CONNECTION }), { runs: 1 })
    expect(clean.exitCode).toBe(LOAD_EXIT.clean)
    expect(clean.report.runs.finished).toBe(2)
    const broadcast = await targetChatBackend('broadcast', chatTargetJson({ events: BY_CONNECTION }))
    expect(broadcast.exitCode).toBe(LOAD_EXIT.violation)
    expect(broadcast.report.violations).toBe(0)
    expect(pairs(broadcast.report.leaks)).toEqual(['user_1->user_2', 'user_2->user_1'])
  })

  it('cross-talk of echoed content: ids and request ids look right, only the canary tells', async () => {
    const { report, exitCode } = await targetChatBackend(
      'cross_talk',
      chatTargetJson({ events: BY_REQUEST }),
      { users: 2, runs: 1 }
    )
    expect(exitCode).toBe(LOAD_EXIT.violation)
    expect(report.violations).toBe(0)
    expect(report.canaryLeaks).toBe(1)
    expect(report.leaks).toHaveLength(1)
  })
})

describe('shared keys (users.shareKey)', () => {
  const shared = (groupSize: number) =>
    chatTargetJson({
      events: BY_REQUEST,
      users: { vars: {}, shareKey: { var: 'room', groupSize, value: 'room-{{group}}-{{nonce}}' } }
    })

  it('a manager cached per room leaks once two users share a room, and is invisible with a room each', async () => {
    const unique = await targetChatBackend('room_cache', shared(1), { users: 4, runs: 1 })
    expect(unique.exitCode).toBe(LOAD_EXIT.clean)
    expect(unique.report.leaks).toEqual([])

    const pairsOfTwo = await targetChatBackend('room_cache', shared(2), { users: 4, runs: 1 })
    expect(pairsOfTwo.exitCode).toBe(LOAD_EXIT.violation)
    // In each room the first asker's cached connection gets the other user's answers: by id and by canary.
    const leaked = pairsOfTwo.report.leaks
    expect(leaked).toHaveLength(2)
    for (const leak of leaked) {
      expect(leak.events).toBe(2)
      expect(leak.canaryFrames).toBe(1)
      const [from, to] = [leak.from, leak.to].map((user) => Number(user.replace('user_', '')))
      // Users share a room in pairs: 1 with 2, 3 with 4.
      expect(Math.ceil((from ?? 0) / 2)).toBe(Math.ceil((to ?? 0) / 2))
    }
  })

  it('--group-size overrides the file: the same file, unique keys', async () => {
    const { exitCode } = await targetChatBackend('room_cache', shared(2), { users: 4, runs: 1, groupSize: 1 })
    expect(exitCode).toBe(LOAD_EXIT.clean)
  })
})

describe('when the server goes away', () => {
  it('stops waiting once every socket is gone, and the verdict says the server closed them all', async () => {
    const json = chatTargetJson({ events: BY_CONNECTION })
    json.timeouts = { connectMs: 2_000, runMs: 60_000, settleMs: 100 }
    const { report, exitCode } = await targetChatBackend('hang_up', json, { users: 3, runs: 1 })
    expect(exitCode).toBe(LOAD_EXIT.missingEvents)
    // Not the 60 s run timeout: with every socket gone there is nothing left to wait for.
    expect(report.timedOut).toBe(false)
    expect(report.users.closedByServer.map((close) => close.code)).toEqual([1011, 1011, 1011])
    expect(report.verdict).toMatch(
      /; the server went away: it closed all 3 connection\(s\) during the runs \(code 1011\)$/
    )
  })
})

describe('request correlation by a captured id', () => {
  /** Runs started by POST /runs, whose reply's runId the events carry: the id is known only once captured. */
  const httpStarted = (origin: string): Record<string, unknown> => ({
    protocol: 'socket.io',
    url: origin,
    socketio: { namespace: '/agents', auth: { token: 'token-{{user_id}}' } },
    ready: { type: 'welcome' },
    run: [
      {
        http: {
          method: 'POST',
          url: `${origin}/runs`,
          headers: { Authorization: 'Bearer token-{{user_id}}' },
          json: { text: 'run {{run}} {{canary}}' },
          capture: { run: '/runId' }
        }
      }
    ],
    events: {
      type: '/event',
      ownership: 'request',
      requestId: '/args/0/run_id',
      requestIdSent: '{{captured.run}}',
      errorType: 'error_event'
    },
    timeouts: { connectMs: 5_000, runMs: 10_000, settleMs: 100, ackMs: 5_000 }
  })

  const against = async (bug: SocketIoBug | null) => {
    const backend = await startSocketIoBackend({ bug })
    try {
      return await runTargetJson(httpStarted(backend.origin), { users: 2, runs: 2 })
    } finally {
      await backend.close()
    }
  }

  it('owns each event by the run id the user captured from its own HTTP reply, even when events come first', async () => {
    const { report, exitCode } = await against(null)
    expect(report.frames).toMatchObject({ events: 20, ownerUnreadable: 0 })
    expect(report.runs.finished).toBe(4)
    expect(exitCode).toBe(LOAD_EXIT.clean)
  })

  it('a broadcast is a leak by the captured ids', async () => {
    const { report, exitCode } = await against('broadcast')
    expect(exitCode).toBe(LOAD_EXIT.violation)
    expect(report.violations).toBe(20)
    expect(pairs(report.leaks)).toEqual(['user_1->user_2', 'user_2->user_1'])
  })
})
