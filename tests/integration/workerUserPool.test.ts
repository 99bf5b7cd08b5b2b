import { afterEach, describe, expect, it } from 'vitest'
import { LOAD_EXIT, loadExitCode, runLoad } from '../../src/main/runtime/load/runLoad'
import { Runtime } from '../../src/main/runtime/runtime'

let runtime: Runtime | undefined
afterEach(async () => {
  await runtime?.close()
  runtime = undefined
})

describe('simulated users in a worker thread', () => {
  it('200 users x 2 runs from a worker: every event reaches its own user, none another', async () => {
    runtime = await Runtime.start({ seed: 5, missingGraceMs: 60_000 })
    const report = await runLoad(runtime, { users: 200, runs: 2, pool: 'worker' })
    expect(report.users.connected).toBe(200)
    expect(report.runs.completed).toBe(400)
    expect(report.events.emitted).toBe(2000)
    expect(report.events.delivered).toBe(2000)
    expect(report.violations).toBe(0)
    expect(report.runsWithMissingEvents).toBe(0)
    expect(report.perUser).toHaveLength(200)
    expect(report.perUser.every((user) => user.own === 10 && user.foreign === 0)).toBe(true)
    expect(report.latencyMs.p99).not.toBeNull()
    expect(report.managers).toEqual({ created: 200, closed: 200 })
    // Closing the pool terminates its worker; that exit is not a crash, and the load is complete.
    expect(report.poolCrash).toBeNull()
    expect(loadExitCode(report)).toBe(LOAD_EXIT.clean)
  })

  it('the same leak is seen from a worker under the singleton fault', async () => {
    runtime = await Runtime.start({ seed: 5, faults: ['shared_singleton_manager'], missingGraceMs: 60_000 })
    const report = await runLoad(runtime, { users: 20, runs: 1, pool: 'worker' })
    expect(report.events.emitted).toBe(100)
    expect(report.events.delivered).toBe(2000)
    expect(report.violations).toBe(1900)
  })
})
