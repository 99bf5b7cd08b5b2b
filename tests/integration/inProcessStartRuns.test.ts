import { afterEach, describe, expect, it } from 'vitest'
import { Runtime } from '../../src/main/runtime/runtime'
import { InProcessUserPool, START_RUNS_BATCH } from '../../src/main/runtime/users/inProcessUserPool'

/**
 * startRuns sends its frames a batch per turn: every run still starts, and a pool closed mid-way sends no more, so
 * its users' close frames are not queued behind every run they were asked for (a cancelled MCP run_load).
 */
describe('InProcessUserPool.startRuns, against a real runtime', () => {
  let runtime: Runtime | null = null
  let pool: InProcessUserPool | null = null
  afterEach(async () => {
    await pool?.close()
    await runtime?.close()
    pool = null
    runtime = null
  })

  async function connected(
    count: number
  ): Promise<{ runtime: Runtime; pool: InProcessUserPool; started: () => number }> {
    const rt = await Runtime.start({ seed: 1, faults: [], historyLimit: 2_000, historyBytes: 1024 * 1024 })
    runtime = rt
    const userPool = new InProcessUserPool(rt.auditor.recordDelivery.bind(rt.auditor))
    pool = userPool
    let started = 0
    rt.bus.subscribeKinds(['run_started'], () => (started += 1))
    const ids = Array.from({ length: count }, () => rt.ids.userId())
    const outcome = await userPool.connect(ids.map((userId) => ({ userId, url: rt.userUrl(userId) })))
    expect(outcome.failed).toEqual([])
    return { runtime: rt, pool: userPool, started: () => started }
  }

  it('starts every run it was asked for, across more batches than one', async () => {
    const { pool, started } = await connected(3)
    const runs = START_RUNS_BATCH // 3 users: three batches
    pool.startRuns(runs)
    await expect.poll(started, { timeout: 30_000, interval: 20 }).toBe(3 * runs)
  })

  it('sends no more batches once closed: the runtime starts only what was sent before', async () => {
    const { runtime, pool, started } = await connected(2)
    pool.startRuns(10_000)
    await pool.close()
    for (let tries = 0; tries < 400 && runtime.server.openSockets > 0; tries++)
      await new Promise((resolve) => setTimeout(resolve, 5))
    expect(runtime.server.openSockets).toBe(0)
    // The first batch goes out at once; the 19 others would have followed the close frames had they been queued.
    expect(started()).toBeGreaterThan(0)
    expect(started()).toBeLessThanOrEqual(START_RUNS_BATCH)
  })
})
