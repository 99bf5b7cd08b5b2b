import type { ScenarioSystem } from '../../shared/scenario'
import type { RunOutcome } from '../../shared/scenarioResult'
import type { Runtime } from '../runtime/runtime'
import { InProcessUserPool } from '../runtime/users/inProcessUserPool'
import { OrderedDeliveries } from './orderedDeliveries'
import { waitUntil } from './waitUntil'

/** How long one step (a connection, a run, a goodbye) may take before the engine gives up on it. */
const STEP_TIMEOUT_MS = 5_000

export type StepMarker = (label: string) => void

/**
 * Plays the scenario's users against a ready runtime, one step at a time: each user connects and is welcomed
 * before the next; runs go round-robin and each settles (completed or refused, every delivery in) before the next
 * starts. One thing happens at a time, so the trace order depends only on the seed.
 */
export async function driveUsers(
  runtime: Runtime,
  users: ScenarioSystem['users'],
  step: StepMarker
): Promise<Pick<RunOutcome, 'users' | 'runs'>> {
  const result: Pick<RunOutcome, 'users' | 'runs'> = {
    users: { connected: [], refused: [], skipped: null },
    runs: { started: 0, completed: 0, refused: [], timedOut: false }
  }
  const emittedSeq = new Map<string, number>()
  const connections = new Map<string, string>()
  const disconnected = new Set<string>()
  let expectedDeliveries = 0
  const watched = ['agent_event_emitted', 'run_completed', 'user_disconnected'] as const
  const unsubscribe = runtime.bus.subscribeKinds(watched, (event) => {
    if (event.kind === 'agent_event_emitted') {
      emittedSeq.set(event.event_id, event.seq)
      expectedDeliveries += event.recipients
    } else if (event.kind === 'run_completed') {
      result.runs.completed += 1
    } else {
      disconnected.add(event.connection_id)
    }
  })
  const ordered = new OrderedDeliveries(
    runtime.auditor.recordDelivery.bind(runtime.auditor),
    (eventId) => emittedSeq.get(eventId) ?? Number.MAX_SAFE_INTEGER,
    (userId) => users.ids.indexOf(userId)
  )
  const pool = new InProcessUserPool(ordered.sink)
  const timedOut = (): void => {
    result.runs.timedOut = true
  }
  try {
    for (const userId of users.ids) {
      step(`${userId} connects`)
      const outcome = await pool.connect([{ userId, url: runtime.userUrl(userId) }])
      const connected = outcome.connected[0]
      if (connected) {
        result.users.connected.push(userId)
        connections.set(userId, connected.connection_id)
      } else {
        result.users.refused.push({ user_id: userId, message: outcome.failed[0]?.error ?? 'not connected' })
      }
    }
    for (let round = 1; round <= users.runsEach; round++) {
      for (const userId of result.users.connected) {
        step(`${userId} starts run ${round}`)
        const completedBefore = result.runs.completed
        const refusedBefore = pool.refusals.length
        pool.startRuns(1, userId)
        result.runs.started += 1
        const settled = await waitUntil(
          () => result.runs.completed > completedBefore || pool.refusals.length > refusedBefore,
          STEP_TIMEOUT_MS
        )
        if (!settled || !(await waitUntil(() => ordered.received >= expectedDeliveries, STEP_TIMEOUT_MS)))
          timedOut()
        ordered.flush()
        runtime.auditor.finalize()
      }
    }
    for (const userId of result.users.connected) {
      step(`${userId} leaves`)
      await pool.disconnect(userId)
      const connectionId = connections.get(userId) ?? ''
      if (!(await waitUntil(() => disconnected.has(connectionId), STEP_TIMEOUT_MS))) timedOut()
    }
  } finally {
    ordered.flush()
    unsubscribe()
    await pool.close()
  }
  result.runs.refused = [...pool.refusals]
  return result
}
