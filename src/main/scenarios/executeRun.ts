import type { InspectionEvent } from '../../shared/inspection'
import type { RunOutcome } from '../../shared/scenarioResult'
import { InspectionBus } from '../runtime/inspection/inspectionBus'
import { collectLines } from '../runtime/inspection/lineCollector'
import { Runtime } from '../runtime/runtime'
import { driveUsers } from './driveUsers'
import { evaluateExpectations } from './expectations'
import { runtimeOptionsFor, type RunPlan } from './resolveSystem'
import { runChecks } from './runChecks'
import { runFixtureTests } from './runFixtureTests'

/** The bus's own history, unread: the trace is collected whole (collectLines), so it needs only a token ring. */
export const SCENARIO_HISTORY = { historyLimit: 1_000, historyBytes: 64 * 1024 } as const

/**
 * Boots a fresh runtime with the plan's system, makes its checks, plays its users, closes it, and judges the
 * recorded trace. Nothing is simulated on the side: every event comes from the runtime's own bus.
 */
export async function executeRun(
  scenarioId: string,
  plan: RunPlan,
  seed: number,
  signal?: AbortSignal
): Promise<RunOutcome> {
  const bus = new InspectionBus(SCENARIO_HISTORY)
  const collected = collectLines(bus)
  const step = (label: string): void => {
    // Every step starts here: an aborted run stops at its next one, and the finally blocks close users and runtime.
    signal?.throwIfAborted()
    bus.emit({ kind: 'scenario_step', scenario_id: scenarioId, mode: plan.mode, label })
  }
  step(`${plan.run}: ${plan.title} (seed ${seed})`)
  const runtime = await Runtime.start(runtimeOptionsFor(plan.system, seed), bus)
  const startup = runtime.startup
  let driven: Pick<RunOutcome, 'users' | 'runs' | 'checks' | 'testsRun'>
  try {
    if (startup.state === 'ready') {
      const checks = runChecks(runtime, plan.system.checks, step)
      const collected = runtime.modules?.testsCollected ?? []
      const testsRun =
        plan.system.fixtures.length > 0 ? runFixtureTests(runtime, plan.system, collected, step) : undefined
      driven = {
        checks,
        ...(testsRun ? { testsRun } : {}),
        ...(await driveUsers(runtime, plan.system.users, step))
      }
    } else {
      const skipped = `start-up failed in ${startup.failedPhase?.toUpperCase() ?? '?'}: nothing could connect or be checked`
      if (plan.system.users.ids.length > 0 || plan.system.checks.length > 0) step(skipped)
      driven = {
        checks: plan.system.checks.map((check) => ({ name: check.name, passed: false, detail: skipped })),
        users: { connected: [], refused: [], skipped },
        runs: { started: 0, completed: 0, refused: [], timedOut: false }
      }
    }
  } finally {
    await runtime.close()
  }
  collected.stop()
  if (collected.lines.length !== bus.emitted)
    throw new Error(
      `scenario ${scenarioId} (${plan.run}): the trace has ${collected.lines.length} of ${bus.emitted} events`
    )
  const trace = collected.lines.map((line) => JSON.parse(line) as InspectionEvent)
  const modules = runtime.modules ?? { loaded: [], failures: [], testsBlocked: [], testsCollected: [] }
  const facts = {
    startup,
    modules: {
      loaded: modules.loaded,
      failures: modules.failures.map(({ module, chain, error }) => ({ module, chain, error })),
      testsBlocked: modules.testsBlocked,
      testsCollected: modules.testsCollected
    },
    ...driven,
    trace
  }
  const expectations = evaluateExpectations(plan.expect, facts)
  return {
    run: plan.run,
    mode: plan.mode,
    title: plan.title,
    seed,
    ...facts,
    tally: tallyOf(trace),
    expectations,
    held: expectations.every((result) => result.held)
  }
}

function tallyOf(trace: readonly InspectionEvent[]): RunOutcome['tally'] {
  const count = (kind: InspectionEvent['kind']): number => trace.filter((event) => event.kind === kind).length
  return {
    emitted: count('agent_event_emitted'),
    delivered: count('agent_event_delivered'),
    leaks: count('isolation_violation'),
    runsMissingEvents: count('events_missing'),
    eventsMissing: trace.reduce(
      (sum, event) => sum + (event.kind === 'events_missing' ? event.missing.length : 0),
      0
    ),
    warnings: count('warning'),
    managersCreated: count('manager_created'),
    managersClosed: count('manager_closed')
  }
}
