import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { RuntimeHost } from '../../src/main/host/runtimeHost'
import { readRecording } from '../../src/main/runtime/inspection/recordingReader'
import type { InspectionEvent } from '../../src/shared/inspection'
import { commandSchema, TARGET_APP_MAX_RUNS, TARGET_APP_MAX_USERS } from '../../src/shared/inspectorApi'
import { startSampleBackend } from '../fixtures/sampleBackend/sampleBackend'
import { EXAMPLE_PATH } from '../helpers/targetHarness'

const kindsOf = (events: readonly InspectionEvent[]): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const event of events) counts[event.kind] = (counts[event.kind] ?? 0) + 1
  return counts
}

describe('a target run from the app, live', () => {
  it("pushes the run's events through the session's stream while it runs, all of them before the reply", async () => {
    // 40 ms between a run's steps: the run lasts long enough to be seen going.
    const backend = await startSampleBackend({ bug: 'broadcast', stepMs: 40 })
    const host = await RuntimeHost.create({ stepDelayMs: 0, flushMs: 10 })
    const pushed: InspectionEvent[] = []
    let replied = false
    /** Deliveries pushed while the command had not answered yet (the runtime has no users: all are the run's). */
    let deliveredBeforeReply = 0
    /** Which push brought the first delivery, and which the first run_completed (the runs end together, last). */
    const firstPush: Partial<Record<'delivered' | 'completed', number>> = {}
    let pushes = 0
    const unsubscribe = host.subscribe((push) => {
      const message = JSON.parse(Buffer.from(push).toString('utf8')) as { type: string; events?: InspectionEvent[] }
      if (message.type !== 'events' || message.events === undefined) return
      pushed.push(...message.events)
      pushes += 1
      if (message.events.some((event) => event.kind === 'agent_event_delivered')) firstPush.delivered ??= pushes
      if (message.events.some((event) => event.kind === 'run_completed')) firstPush.completed ??= pushes
      if (!replied)
        deliveredBeforeReply += message.events.filter((event) => event.kind === 'agent_event_delivered').length
    })
    try {
      const reply = await host.handle({
        cmd: 'run_target',
        target: readFileSync(EXAMPLE_PATH, 'utf8'),
        users: 3,
        runs: 2,
        url: `${backend.url}?room={{room}}`
      })
      replied = true
      expect(reply.ok).toBe(true)
      const result = (reply.ok ? reply.result : null) as { report: { violations: number }; ndjson: string }
      const read = readRecording(result.ndjson)
      if (!read.ok) throw new Error(read.problem)
      // Lanes can fill while the run goes: deliveries came in pushes of their own, before any run had ended.
      expect(firstPush.delivered).toBeLessThan(firstPush.completed ?? 0)
      // Everything the run's own stream holds was pushed, in order, before the reply: the same kinds, as often.
      const fromTarget = pushed.slice(pushed.findIndex((event) => event.kind === 'target_started'))
      expect(kindsOf(fromTarget)).toEqual(kindsOf(read.events))
      expect(deliveredBeforeReply).toBe(read.events.filter((e) => e.kind === 'agent_event_delivered').length)
      expect(fromTarget.filter((event) => event.kind === 'isolation_violation')).toHaveLength(
        result.report.violations
      )
      expect(result.report.violations).toBeGreaterThan(0)
      // One stream: the session's own sequence numbers, strictly increasing across the runtime's and the run's.
      for (let i = 1; i < pushed.length; i++)
        expect((pushed[i] as InspectionEvent).seq).toBeGreaterThan((pushed[i - 1] as InspectionEvent).seq)
      // The embedded runtime's auditor never judged the relayed runs: nothing of theirs is called missing.
      expect(pushed.filter((event) => event.kind === 'events_missing')).toHaveLength(0)
      // The session's recording holds the run too.
      const exported = await host.exportRecording()
      expect(exported.events).toBeGreaterThanOrEqual(pushed.length)
    } finally {
      unsubscribe()
      await host.close()
      await backend.close()
    }
  })

  it('refuses users or runs over the app cap with a message naming it, never lowering them', () => {
    const command = { cmd: 'run_target', target: '{}', users: 1, runs: 1 }
    const users = commandSchema.safeParse({ ...command, users: TARGET_APP_MAX_USERS + 1 })
    expect(users.success).toBe(false)
    expect(users.error?.issues[0]?.message).toBe(
      `at most ${TARGET_APP_MAX_USERS} users in the app (the CLI takes more)`
    )
    const runs = commandSchema.safeParse({ ...command, runs: TARGET_APP_MAX_RUNS + 1 })
    expect(runs.error?.issues[0]?.message).toBe(
      `at most ${TARGET_APP_MAX_RUNS} runs per user in the app (the CLI takes more)`
    )
    expect(commandSchema.safeParse({ ...command, users: TARGET_APP_MAX_USERS }).success).toBe(true)
  })
})
