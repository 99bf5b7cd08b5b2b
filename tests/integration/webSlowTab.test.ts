import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { startWebServer } from '../../src/main/host/web'
import {
  CONTROL_CLOSE_SLOW_CONSUMER,
  CONTROL_OVERFLOW_REASON,
  CONTROL_STALLED_REASON,
  type ControlServerFrame
} from '../../src/shared/controlFrames'
import { inspectionEventSchema, type InspectionEvent } from '../../src/shared/inspection'
import type { PushSummary } from '../../src/shared/pushSummary'
import { serveRuntimeHost } from './webSupport/servedRuntimeHost'
import { connect, type ControlClient } from './webSupport/wsClient'

/** Small, so a paused client is behind as soon as the kernel's socket buffers are full. */
const BEHIND_BYTES = 64 * 1024
/** Inspection events to flood a paused client with: some 25 MB, far beyond loopback socket buffers (a flood that
 * takes seconds alone and a minute beside other suites on two cores, hence the test's timeout). */
const FLOOD_EVENTS = 100_000
const USERS = 10

// Every event reaches every user (each delivery to another user is an isolation violation): a flood rich in
// events that must not be lost.
const served = serveRuntimeHost({
  host: { faults: ['shared_singleton_manager'] },
  web: { behindBytes: BEHIND_BYTES, stallMs: 120_000 }
})

interface UserFigures {
  emitted: number
  delivered: number
  runsStarted: number
  runsCompleted: number
  violationsReceived: number
  violationsLeaked: number
}

/** What the stream says, counted the same way from events and from summaries. */
class Tally {
  events = 0
  lastSeq = -1
  summaries = 0
  readonly users = new Map<string, UserFigures>()

  constructor(private readonly afterSeq: number) {}

  add(event: InspectionEvent): void {
    if (event.seq <= this.afterSeq) return
    this.events += 1
    this.lastSeq = Math.max(this.lastSeq, event.seq)
    switch (event.kind) {
      case 'agent_event_emitted':
        this.user(event.user_id).emitted += 1
        return
      case 'agent_event_delivered':
        this.user(event.receiver_user_id).delivered += 1
        return
      case 'run_started':
        this.user(event.context.user_id).runsStarted += 1
        return
      case 'run_completed':
        this.user(event.user_id).runsCompleted += 1
        return
      case 'isolation_violation':
        this.user(event.receiver_user_id).violationsReceived += 1
        this.user(event.owner_user_id).violationsLeaked += 1
        return
      default:
    }
  }

  addSummary(summary: PushSummary): void {
    expect(summary.from_seq).toBeGreaterThan(this.afterSeq)
    this.summaries += 1
    this.events += summary.events
    this.lastSeq = Math.max(this.lastSeq, summary.to_seq)
    for (const [userId, counts] of Object.entries(summary.users)) {
      const user = this.user(userId)
      user.emitted += counts.emitted
      user.delivered += Object.values(counts.delivered).reduce((sum, n) => sum + n, 0)
      user.runsStarted += counts.runs_started
      user.runsCompleted += counts.runs_completed
      user.violationsReceived += counts.violations_received
      user.violationsLeaked += counts.violations_leaked
    }
  }

  addFrame(frame: ControlServerFrame): void {
    if (!('push' in frame)) return
    if (frame.push.type === 'events') frame.push.events.forEach((event) => this.add(event))
    else if (frame.push.type === 'summary') this.addSummary(frame.push.summary)
    else throw new Error('unexpected reset')
  }

  runsCompleted(): number {
    return [...this.users.values()].reduce((sum, user) => sum + user.runsCompleted, 0)
  }

  private user(userId: string): UserFigures {
    let user = this.users.get(userId)
    if (user === undefined) {
      user = {
        emitted: 0,
        delivered: 0,
        runsStarted: 0,
        runsCompleted: 0,
        violationsReceived: 0,
        violationsLeaked: 0
      }
      this.users.set(userId, user)
    }
    return user
  }
}

async function open(url: string): Promise<ControlClient> {
  const outcome = await connect(url)
  if (outcome.kind !== 'open') throw new Error(`expected an open socket, got ${JSON.stringify(outcome)}`)
  return outcome.client
}

/** Says hello and returns the seq of the history's last event. */
async function hello(client: ControlClient, id: number): Promise<number> {
  client.sendRaw(JSON.stringify({ id, command: { cmd: 'hello' } }))
  const reply = await client.reply(id)
  if (!('reply' in reply) || !reply.reply.ok) throw new Error('hello failed')
  const { history } = reply.reply.result as { history: Array<{ seq: number }> }
  return history.at(-1)?.seq ?? -1
}

/** Every frame a client receives, folded into a tally as it arrives. */
function tallyFrames(client: ControlClient, tally: Tally): void {
  const take = (): void => {
    void client
      .next(() => true, 600_000)
      .then(
        (frame) => {
          tally.addFrame(frame)
          take()
        },
        () => {}
      )
  }
  take()
}

/** The session's recording: every event since the runtime started, the ground truth. */
async function recorded(afterSeq: number): Promise<Tally> {
  const { path } = await served.host.exportRecording()
  const tally = new Tally(afterSeq)
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    if (line === '' || line.includes('"format":"session-inspector-recording"')) continue
    tally.add(inspectionEventSchema.parse(JSON.parse(line)))
  }
  return tally
}

async function until(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 100_000
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('web control channel: a tab that falls behind', () => {
  it('keeps its connection and catches up with a summary that adds up to what was emitted', async () => {
    const url = `ws://127.0.0.1:${served.web.port}/control?token=${served.web.token}`
    const behind = await open(url)
    const reading = await open(url)
    const start = Math.max(await hello(behind, 1), await hello(reading, 1))
    const behindTally = new Tally(start)
    const readingTally = new Tally(start)
    tallyFrames(behind, behindTally)
    tallyFrames(reading, readingTally)
    let closed: number | null = null
    behind.socket.once('close', (code) => (closed = code))

    await served.host.handle({ cmd: 'add_users', count: USERS })
    behind.socket.pause()
    let runs = 0
    while (readingTally.lastSeq - start < FLOOD_EVENTS) {
      await served.host.handle({ cmd: 'start_runs', runs: 10 })
      runs += 10 * USERS
      await until('the flood wave is under way', () => readingTally.runsCompleted() >= runs - 10 * USERS)
    }
    await until('every run completed', () => readingTally.runsCompleted() === runs)
    behind.socket.resume()

    // Caught up: it has everything the recording holds (read again until nothing newer arrives).
    let truth = await recorded(start)
    for (;;) {
      const last = truth.lastSeq
      await until('the tab that fell behind caught up', () => behindTally.lastSeq >= last)
      truth = await recorded(start)
      if (truth.lastSeq === last) break
    }

    expect(closed).toBeNull()
    expect(behindTally.summaries).toBeGreaterThan(0)
    expect(behindTally.events).toBe(truth.events)
    expect(Object.fromEntries(behindTally.users)).toEqual(Object.fromEntries(truth.users))
    const violations = [...truth.users.values()].reduce((sum, user) => sum + user.violationsReceived, 0)
    expect(violations).toBeGreaterThan(0)
    behind.close()
    reading.close()
  }, 120_000)

  it(`closes a tab that stops reading, once nothing drained for stallMs, with ${CONTROL_CLOSE_SLOW_CONSUMER}`, async () => {
    let stalled: ControlClient | null = null
    const logs: string[] = []
    const web = await startWebServer({
      host: served.host,
      staticDir: served.staticRoot.root,
      behindBytes: BEHIND_BYTES,
      stallMs: 500,
      log: (message) => {
        logs.push(message)
        // Read again the moment it is cut, so the close frame behind the unread pushes arrives before the socket
        // is terminated.
        if (message.includes(CONTROL_STALLED_REASON)) stalled?.socket.resume()
      }
    })
    try {
      stalled = await open(`ws://127.0.0.1:${web.port}/control?token=${web.token}`)
      const closed = new Promise<{ code: number; reason: string }>((resolve) =>
        stalled?.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
      )
      stalled.socket.pause()
      while (!logs.some((message) => message.includes(CONTROL_STALLED_REASON))) {
        await served.host.handle({ cmd: 'start_runs', runs: 5 })
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(await closed).toEqual({ code: CONTROL_CLOSE_SLOW_CONSUMER, reason: CONTROL_STALLED_REASON })
    } finally {
      await web.close()
    }
  })
  it(`closes a tab that lets replies pile up past maxBufferedBytes, with ${CONTROL_CLOSE_SLOW_CONSUMER}`, async () => {
    // The earlier flood left a long history: each hello reply is megabytes, and replies are never summarised.
    let unread: ControlClient | null = null
    const logs: string[] = []
    const web = await startWebServer({
      host: served.host,
      staticDir: served.staticRoot.root,
      maxBufferedBytes: 1024 * 1024,
      log: (message) => {
        logs.push(message)
        if (message.includes(CONTROL_OVERFLOW_REASON)) unread?.socket.resume()
      }
    })
    try {
      unread = await open(`ws://127.0.0.1:${web.port}/control?token=${web.token}`)
      const closed = new Promise<{ code: number; reason: string }>((resolve) =>
        unread?.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
      )
      unread.socket.pause()
      for (let id = 1; !logs.some((message) => message.includes(CONTROL_OVERFLOW_REASON)); id += 1) {
        unread.sendRaw(JSON.stringify({ id, command: { cmd: 'hello' } }))
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(await closed).toEqual({ code: CONTROL_CLOSE_SLOW_CONSUMER, reason: CONTROL_OVERFLOW_REASON })
    } finally {
      await web.close()
    }
  })
})
