import { describe, expect, it } from 'vitest'
import { findBuiltinScenario } from '../../src/main/scenarios/builtinScenarios'
import { executeRun, SCENARIO_HISTORY } from '../../src/main/scenarios/executeRun'
import { planRuns } from '../../src/main/scenarios/resolveSystem'

describe('scenario trace', { timeout: 120_000 }, () => {
  it('is the whole run, from its first event, even when it outgrows the bus history', async () => {
    const builtin = findBuiltinScenario('cross-user-leak')
    if (!builtin) throw new Error('cross-user-leak is a built-in scenario')
    // The largest system a scenario file may describe: 20 users, 10 runs each, every event to every user.
    const ids = Array.from({ length: 20 }, (_, index) => `user-${index}`)
    const failure = planRuns(builtin)[0]
    if (!failure) throw new Error('a scenario has a failure run')
    const plan = { ...failure, system: { ...failure.system, users: { ids, runsEach: 10 } } }

    const outcome = await executeRun(builtin.id, plan, builtin.seed)

    expect(outcome.runs).toMatchObject({ started: 200, completed: 200, timedOut: false })
    expect(outcome.trace.length).toBeGreaterThan(SCENARIO_HISTORY.historyLimit)
    expect(outcome.trace.map((event) => event.seq)).toEqual(outcome.trace.map((_, index) => index))
    expect(outcome.trace[0]).toMatchObject({ kind: 'scenario_step', seq: 0 })
    expect(outcome.tally).toMatchObject({ emitted: 1_000, delivered: 20_000, leaks: 19_000 })
  })
})
