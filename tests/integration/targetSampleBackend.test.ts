import { describe, expect, it } from 'vitest'
import { readRecording } from '../../src/main/runtime/inspection/recordingReader'
import { LOAD_EXIT } from '../../src/main/runtime/load/runLoad'
import { targetSampleBackend } from '../helpers/targetHarness'

const USERS = ['user_1', 'user_2', 'user_3']
const shortRuns = (json: Record<string, unknown>): void => {
  json.timeouts = { connectMs: 2_000, runMs: 1_000, settleMs: 100 }
}

describe('target mode against the sample backend', () => {
  it('reports a clean run on the correct backend: every event judged, owned, complete and in order', async () => {
    const { report, exitCode, of } = await targetSampleBackend(null)
    expect(exitCode).toBe(LOAD_EXIT.clean)
    expect(report.users.connected).toBe(3)
    expect(report.runs).toEqual({ requested: 6, finished: 6, unseen: 0 })
    expect(report.frames).toMatchObject({ events: 30, unparsed: 0, ownerUnreadable: 0, serverErrors: 0 })
    expect(report.perUser.map((user) => [user.user_id, user.own, user.foreign])).toEqual(
      USERS.map((user) => [user, 10, 0])
    )
    expect(report.latencyMs.p50).not.toBeNull()
    expect(report.timedOut).toBe(false)
    expect(of('agent_event_delivered')).toHaveLength(30)
    expect(
      of('run_started')
        .map((event) => event.context.user_id)
        .sort()
    ).toEqual(USERS.flatMap((user) => [user, user]))
  })

  it('finds the broadcast bug: every user got every other user’s events, by ids and by canary', async () => {
    const { report, exitCode, of } = await targetSampleBackend('broadcast')
    expect(exitCode).toBe(LOAD_EXIT.violation)
    expect(report.violations).toBe(60)
    const pairs = report.leaks.map((leak) => `${leak.from}->${leak.to}`)
    expect(pairs).toEqual(
      USERS.flatMap((from) => USERS.filter((to) => to !== from).map((to) => `${from}->${to}`))
    )
    for (const leak of report.leaks) expect(leak).toMatchObject({ events: 10, canaryFrames: 4 })
    expect(of('isolation_violation')[0]).toMatchObject({ type: 'agent_started' })
    expect(of('canary_leak').length).toBe(report.canaryLeaks)
  })

  it('finds the shared singleton per room by canary alone, naming who leaked to whom', async () => {
    const { report, exitCode } = await targetSampleBackend('room_singleton', { change: shortRuns })
    expect(exitCode).toBe(LOAD_EXIT.violation)
    // The singleton stamps its own user on every event, so ids look right: only the canaries tell.
    expect(report.violations).toBe(0)
    const receivers = new Set(report.leaks.map((leak) => leak.to))
    expect(receivers.size).toBe(1)
    const [lastJoined] = receivers
    const others = USERS.filter((user) => user !== lastJoined)
    expect(report.leaks.map((leak) => leak.from)).toEqual(others)
    for (const leak of report.leaks) expect(leak).toMatchObject({ events: 0, canaryFrames: 4 })
    expect(report.unseenRuns).toEqual(Object.fromEntries(others.map((user) => [user, 2])))
  })

  it('finds the dropped tool_completed: every run is missing it, per user', async () => {
    const { report, exitCode, of } = await targetSampleBackend('drop_tool_completed')
    expect(exitCode).toBe(LOAD_EXIT.missingEvents)
    expect(report.runsWithMissingEvents).toBe(6)
    expect(report.runProblems.map((run) => [run.user_id, run.missing]).sort()).toEqual(
      USERS.flatMap((user) => [
        [user, ['tool_completed']],
        [user, ['tool_completed']]
      ])
    )
    expect(of('events_missing')).toHaveLength(6)
  })

  it('finds events out of order', async () => {
    const { report, exitCode } = await targetSampleBackend('reorder_tools')
    expect(exitCode).toBe(LOAD_EXIT.missingEvents)
    expect(report.runsOutOfOrder).toBe(6)
    expect(report.runProblems[0]?.received).toEqual([
      'agent_started',
      'agent_thinking',
      'tool_completed',
      'tool_executing',
      'agent_completed'
    ])
  })

  it('counts and shows events whose owner cannot be read, and never passes their runs', async () => {
    const { report, exitCode, of } = await targetSampleBackend('no_owner_ids')
    // Every run is unseen because no owner could be read: incomplete (5), not proof of missing events (3).
    expect(exitCode).toBe(LOAD_EXIT.incomplete)
    expect(report.verdict).toBe(
      'incomplete: 30 event(s) with an unreadable owner, so 6 run(s) could not be judged'
    )
    expect(report.frames).toMatchObject({ events: 0, ownerUnreadable: 30 })
    expect(report.frames.problems).toEqual([
      {
        problem:
          "owner unreadable: no 'owner' in the frame (path /owner/user), which has the keys type, id, sent_at, data; no 'owner' in the frame (path /owner/run), which has the keys type, id, sent_at, data",
        count: 30,
        users: expect.arrayContaining(USERS)
      }
    ])
    expect(report.perUser.map((user) => user.unreadable)).toEqual([10, 10, 10])
    expect(of('target_owner_unreadable')).toHaveLength(30)
    expect(report.unseenRuns).toEqual({ user_1: 2, user_2: 2, user_3: 2 })
    // The last event of each run arrived, unreadable: the run ends without waiting for the run timeout.
    expect(report.timedOut).toBe(false)
  })

  it('an owner id that is no user of the run is unreadable, naming the id, never a leak between users', async () => {
    // The backend stamps user_1, user_2 (from the tokens); the file calls its users member_1, member_2.
    const { report, exitCode } = await targetSampleBackend(null, {
      users: 2,
      runs: 1,
      change: (json) => {
        json.users = {
          id: 'member_{{index}}',
          tokens: ['token-user_1', 'token-user_2'],
          vars: { room: 'lobby' }
        }
      }
    })
    expect(exitCode).toBe(LOAD_EXIT.incomplete)
    expect(report.violations).toBe(0)
    expect(report.leaks).toEqual([])
    expect(report.frames).toMatchObject({ events: 0, ownerUnreadable: 10 })
    expect(report.frames.problems.map((problem) => problem.problem)).toEqual([
      "owner unreadable: 'user_1' at /owner/user is no user of this run (users.id gives 'member_1', 'member_2'); make users.id render the ids your backend sends",
      "owner unreadable: 'user_2' at /owner/user is no user of this run (users.id gives 'member_1', 'member_2'); make users.id render the ids your backend sends"
    ])
    expect(report.timedOut).toBe(false)
  })

  it('takes the ids of test accounts as a list, each user its listed id and token: clean', async () => {
    const { report, exitCode } = await targetSampleBackend(null, {
      users: 2,
      runs: 1,
      change: (json) => {
        json.users = { ids: ['user_7', 'user_42'], token: 'token-{{user_id}}', vars: { room: 'lobby' } }
      }
    })
    expect(report.perUser.map((user) => [user.user_id, user.own])).toEqual([
      ['user_7', 5],
      ['user_42', 5]
    ])
    expect(exitCode).toBe(LOAD_EXIT.clean)
  })

  it('counts and shows frames that do not parse, and calls the run incomplete', async () => {
    const { report, exitCode, of } = await targetSampleBackend('garbage_frames')
    expect(exitCode).toBe(LOAD_EXIT.incomplete)
    expect(report.frames.unparsed).toBe(6)
    expect(report.frames.problems[0]?.problem).toMatch(/^not JSON: /)
    expect(of('target_frame_unparsed')[0]?.excerpt).toMatch(/^event stream for run-\d+ follows$/)
  })

  it('says the server is unreachable, and that a handshake was refused with its status and body', async () => {
    const unreachable = await targetSampleBackend(null, { url: 'ws://127.0.0.1:9/ws', users: 2 })
    expect(unreachable.exitCode).toBe(LOAD_EXIT.incomplete)
    expect(unreachable.report.users.failed[0]?.error).toMatch(
      /^cannot reach ws:\/\/127\.0\.0\.1:9\/ws\?token=\*\*\*: .*ECONNREFUSED.*is the server running/
    )
    const refused = await targetSampleBackend(null, {
      users: 2,
      change: (json) => {
        json.users = { token: 'wrong-{{user_id}}', vars: { room: 'lobby' } }
      }
    })
    expect(refused.exitCode).toBe(LOAD_EXIT.incomplete)
    expect(refused.report.users.failed.map((failure) => failure.error)).toEqual([
      'handshake refused with HTTP 401: unknown token; sent query parameter token (values redacted); check auth and users in the target file',
      'handshake refused with HTTP 401: unknown token; sent query parameter token (values redacted); check auth and users in the target file'
    ])
    expect(refused.of('warning').map((event) => event.code)).toEqual([
      'target_connect_failed',
      'target_connect_failed'
    ])
  })

  it('authenticates by header or by a first message, and reports a login refused with a close code', async () => {
    const header = await targetSampleBackend(null, {
      users: 2,
      runs: 1,
      change: (json) => {
        json.auth = { in: 'header', name: 'Authorization', value: 'Bearer {{token}}' }
      }
    })
    expect(header.exitCode).toBe(LOAD_EXIT.clean)
    const login = (token: string) => (json: Record<string, unknown>) => {
      json.auth = { in: 'message', message: { type: 'auth', token } }
    }
    const message = await targetSampleBackend(null, {
      users: 2,
      runs: 1,
      login: true,
      change: login('{{token}}')
    })
    expect(message.exitCode).toBe(LOAD_EXIT.clean)
    expect(message.report.runs.finished).toBe(2)
    const refused = await targetSampleBackend(null, { users: 1, runs: 1, login: true, change: login('nope') })
    expect(refused.report.users.failed[0]?.error).toBe(
      "closed by the server with 4401 'unknown token' before its ready frame (ready.type)"
    )
  })

  it('puts a target run on the inspection stream with the runtime’s own event kinds, so it replays', async () => {
    const { events } = await targetSampleBackend('broadcast', { users: 2, runs: 1 })
    const read = readRecording(events.map((event) => JSON.stringify(event)).join('\n') + '\n')
    expect(read.ok).toBe(true)
    const kinds = new Set(events.map((event) => event.kind))
    for (const kind of [
      'target_started',
      'user_connected',
      'run_started',
      'agent_event_delivered',
      'isolation_violation',
      'canary_leak',
      'run_completed',
      'user_disconnected'
    ])
      expect(kinds).toContain(kind)
  })
})
