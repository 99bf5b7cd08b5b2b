import { describe, expect, it } from 'vitest'
import { createFrameReader } from '../../src/main/target/frameReader'
import { loadTargetFile, parseTargetFile } from '../../src/main/target/loadTargetFile'
import { OwnershipRule } from '../../src/main/target/ownership'
import { prepareTarget } from '../../src/main/target/prepareTarget'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { TargetFileError } from '../../src/main/target/targetFileError'
import { emptyTargetReport } from '../../src/main/target/targetReport'
import { TargetSession } from '../../src/main/target/targetSession'

const file = (events: Record<string, unknown>) =>
  parseTargetFile(
    't',
    JSON.stringify({
      url: 'ws://127.0.0.1:1/ws',
      start: { id: 'q-{{user_id}}-{{run}}', text: '{{canary}}' },
      events: { types: { agent_started: 'begin', agent_completed: 'end' }, ...events }
    })
  )

const answer = (read: ReturnType<ReturnType<typeof createFrameReader>>) => {
  if (read.kind !== 'answer') throw new Error(`expected an answer, got ${read.kind}`)
  return read
}

describe('reading send times', () => {
  it('takes ms since the epoch or a date string, and nothing else', () => {
    const read = createFrameReader(file({ emittedAt: '/at' }))
    const at = (value: unknown) =>
      read(JSON.stringify({ type: 'begin', user_id: 'u', run_id: 'r', at: value }))
    expect(at(1_700_000_000_000)).toMatchObject({ emittedAt: 1_700_000_000_000 })
    expect(at('2026-12-03T13:00:00.250Z')).toMatchObject({
      emittedAt: Date.parse('2026-12-03T13:00:00.250Z')
    })
    expect(at('soon')).toMatchObject({ emittedAt: null })
    expect(at(true)).toMatchObject({ emittedAt: null })
  })
})

describe('ownership rules', () => {
  it('refuses "request" without where the id is and how it is sent, naming both fields', () => {
    try {
      file({ ownership: 'request' })
      throw new Error('expected a TargetFileError')
    } catch (error) {
      if (!(error instanceof TargetFileError)) throw error
      expect(error.problems).toEqual([
        'events.requestId: ownership "request" needs requestId: where a frame carries the id of the request it answers, e.g. "/reply_to" (see docs/target-mode.md)',
        'events.requestIdSent: ownership "request" needs requestIdSent: the id as each user sends it, e.g. "q-{{user_id}}-{{run}}" (see docs/target-mode.md)'
      ])
    }
  })

  it('by request: the id names the user and run that sent it; an unknown or unreadable id is a reason', () => {
    const target = file({
      ownership: 'request',
      requestId: '/reply_to',
      requestIdSent: 'q-{{user_id}}-{{run}}'
    })
    const read = createFrameReader(target)
    const rule = new OwnershipRule(target, ['agent_started', 'agent_completed'])
    rule.noteUsers([{ userId: 'ann', variables: { user_id: 'ann' } }], 2)
    const bob = { user_id: 'bob', connection_id: 'c2' }
    expect(rule.ownerOf(bob, answer(read('{"type":"begin","reply_to":"q-ann-2"}')))).toEqual({
      ok: true,
      userId: 'ann',
      runId: 'q-ann-2',
      threadId: null,
      run: 2
    })
    expect(rule.ownerOf(bob, answer(read('{"type":"end","reply_to":"q-zed-1"}')))).toMatchObject({
      ok: false,
      problem: "request id 'q-zed-1' is not one any user sent (events.requestIdSent)"
    })
    expect(rule.ownerOf(bob, answer(read('{"type":"end"}')))).toMatchObject({
      ok: false,
      problem: "no 'reply_to' in the frame (path /reply_to), which has the keys type"
    })
  })

  it('by connection: the receiver owns it; without run ids, the first type or an event after the last opens a run', () => {
    const target = file({ ownership: 'connection' })
    const read = createFrameReader(target)
    const rule = new OwnershipRule(target, ['agent_started', 'agent_completed'])
    const ann = { user_id: 'ann', connection_id: 'c1' }
    const runs = ['begin', 'end', 'end', 'begin', 'begin', 'end'].map((type) => {
      const owned = rule.ownerOf(ann, answer(read(JSON.stringify({ type }))))
      return owned.ok ? `${owned.userId} ${owned.runId}` : owned.problem
    })
    expect(runs).toEqual([
      'ann (by connection) ann #1',
      'ann (by connection) ann #1',
      'ann (by connection) ann #2',
      'ann (by connection) ann #3',
      'ann (by connection) ann #4',
      'ann (by connection) ann #4'
    ])
    // The backend's run id, when there is one, is the run.
    expect(rule.ownerOf(ann, answer(read('{"type":"begin","run_id":"r9"}')))).toMatchObject({ runId: 'r9' })
  })
})

describe('shared keys', () => {
  const shared = (users: Record<string, unknown>) =>
    parseTargetFile(
      't',
      JSON.stringify({
        url: 'ws://127.0.0.1:1/ws?room={{room}}',
        users,
        start: { text: '{{canary}} {{room}}' }
      })
    )
  const problems = (work: () => unknown): string[] => {
    try {
      work()
    } catch (error) {
      if (error instanceof TargetFileError) return error.problems
      throw error
    }
    return []
  }

  it('gives users the key in groups of groupSize, or of --group-size', () => {
    const target = shared({ shareKey: { var: 'room', groupSize: 2, value: 'r{{group}}-{{nonce}}' } })
    const rooms = (groupSize?: number) =>
      prepareTarget('t', target, { users: 5, nonce: 'n', ...(groupSize ? { groupSize } : {}) }).map(
        (user) => user.variables.room
      )
    expect(rooms()).toEqual(['r1-n', 'r1-n', 'r2-n', 'r2-n', 'r3-n'])
    expect(rooms(1)).toEqual(['r1-n', 'r2-n', 'r3-n', 'r4-n', 'r5-n'])
    expect(rooms(5)).toEqual(['r1-n', 'r1-n', 'r1-n', 'r1-n', 'r1-n'])
  })

  it('refuses a shared variable also in vars, a built-in one, and --group-size without a shareKey', () => {
    expect(
      problems(() =>
        prepareTarget('t', shared({ vars: { room: 'x' }, shareKey: { var: 'room', groupSize: 2 } }), {
          users: 1
        })
      )
    ).toEqual(["users.shareKey.var: 'room' is also in users.vars; remove it from vars (shareKey sets it)"])
    expect(
      problems(() =>
        prepareTarget('t', shared({ vars: { room: 'x' }, shareKey: { var: 'token', groupSize: 2 } }), {
          users: 1
        })
      )
    ).toEqual(['users.shareKey.var: \'token\' is a built-in variable; name the shared key, e.g. "room"'])
    expect(
      problems(() => prepareTarget('t', shared({ vars: { room: 'x' } }), { users: 1, groupSize: 2 }))
    ).toEqual([
      '--group-size: the target file has no users.shareKey to group; add e.g. "shareKey": {"var": "room", "groupSize": 2} to users'
    ])
  })
})

describe('answers that arrive before their request id is known', () => {
  it('wait for the id (a run started over HTTP whose reply comes late), and are unreadable if it never comes', () => {
    const target = parseTargetFile(
      't',
      JSON.stringify({
        url: 'ws://127.0.0.1:1/ws',
        run: [
          { http: { url: 'http://127.0.0.1:1/runs', json: { text: '{{canary}}' }, capture: { job: '/job' } } }
        ],
        events: {
          type: '/event',
          types: { agent_started: 'begin', agent_completed: 'end' },
          ownership: 'request',
          requestId: '/job',
          requestIdSent: '{{captured.job}}'
        }
      })
    )
    const users = prepareTarget('t', target, { users: 1, nonce: 'n' })
    const user = users[0]
    if (user === undefined) throw new Error('no user')
    const report = emptyTargetReport('ws://127.0.0.1:1/ws', 1, 1)
    report.users.connected = 1
    const session = new TargetSession(target, users, new InspectionBus(), report, () => undefined)
    const receiver = { user_id: user.userId, connection_id: 'c1' }
    session.onFrame(receiver, '{"event":"begin","job":"j-1"}', 1)
    session.onFrame(receiver, '{"event":"end","job":"j-1"}', 2)
    session.onFrame(receiver, '{"event":"end","job":"j-never"}', 3)
    expect(report.frames.events).toBe(0)
    session.noteRequest(user, 1, { job: 'j-1' })
    expect(report.frames.events).toBe(2)
    session.finish([{ userId: user.userId, runs: 1 }])
    expect(report.frames.ownerUnreadable).toBe(1)
    expect(report.frames.problems[0]?.problem).toBe(
      "owner unreadable: request id 'j-never' is not one any user sent (events.requestIdSent)"
    )
    expect(report.perUser[0]).toMatchObject({ own: 2, foreign: 0 })
  })
})

describe('examples/ownerless-chat.target.json', () => {
  it('is a valid target file whose users share rooms in pairs and send their request ids', async () => {
    const path = new URL('../../examples/ownerless-chat.target.json', import.meta.url).pathname
    const target = await loadTargetFile(path)
    expect(target.events.ownership).toBe('request')
    const users = prepareTarget(path, target, { users: 3, nonce: 'n' })
    expect(users.map((user) => user.variables.room)).toEqual(['room-1-n', 'room-1-n', 'room-2-n'])
  })
})
