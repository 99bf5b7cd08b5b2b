import { describe, expect, it } from 'vitest'
import { CliUsageError } from '../../src/main/cli/cliError'
import { targetCommand } from '../../src/main/cli/targetCommand'
import { LOAD_EXIT } from '../../src/main/runtime/load/runLoad'
import { descriptorShortfall } from '../../src/main/target/fileDescriptors'
import {
  EXAMPLE_PATH,
  exampleTarget,
  targetSampleBackend,
  type TargetOutcome
} from '../helpers/targetHarness'

const withLoad =
  (load: Record<string, unknown>) =>
  (json: Record<string, unknown>): void => {
    json.load = load
    json.timeouts = { connectMs: 2_000, runMs: 5_000, settleMs: 100 }
  }

/** When each user had connected, in ms after the run began (target_started), which is before anyone connects. */
const connectedAt = (outcome: TargetOutcome): number[] => {
  const began = outcome.of('target_started')[0]?.ts ?? Number.NaN
  return outcome.of('user_connected').map((event) => event.ts - began)
}

describe('target load shape', () => {
  it('a ramp-up spreads users over it, and each starts its runs as it connects', async () => {
    const outcome = await targetSampleBackend(null, {
      users: 3,
      runs: 1,
      change: withLoad({ rampUpMs: 1_500 })
    })
    expect(outcome.exitCode).toBe(LOAD_EXIT.clean)
    expect(outcome.report.runs).toEqual({ requested: 3, finished: 3, unseen: 0 })
    const at = connectedAt(outcome)
    // User k (0-based) arrives k * 1500 / 3 ms after the run began: the last no sooner than 1000 ms after.
    expect(Math.max(...at)).toBeGreaterThanOrEqual(1_000 - 1)
    const lastIn = outcome.of('user_connected').find((event) => event.context.user_id === 'user_3')
    const firstRunDone = outcome
      .of('agent_event_delivered')
      .find((event) => event.receiver_user_id === 'user_1' && event.type === 'agent_completed')
    expect(firstRunDone?.seq).toBeLessThan(lastIn?.seq ?? 0)
  })

  it('an arrival rate brings users in at that many per second', async () => {
    const outcome = await targetSampleBackend(null, {
      users: 3,
      runs: 1,
      change: withLoad({ arrivalRate: 4 })
    })
    expect(outcome.exitCode).toBe(LOAD_EXIT.clean)
    const at = connectedAt(outcome)
    expect(Math.max(...at)).toBeGreaterThanOrEqual(500 - 1)
  })

  it("think time runs a user's runs one at a time, each that long after the user saw the last one end", async () => {
    const outcome = await targetSampleBackend(null, {
      users: 2,
      runs: 3,
      change: withLoad({ thinkTimeMs: 300, connectConcurrency: 1 })
    })
    expect(outcome.exitCode).toBe(LOAD_EXIT.clean)
    expect(outcome.report.runs).toEqual({ requested: 6, finished: 6, unseen: 0 })
    for (const user of ['user_1', 'user_2']) {
      const own = outcome
        .of('agent_event_delivered')
        .filter((event) => event.receiver_user_id === user && event.owner_user_id === user)
      const runs = [...new Set(own.map((event) => event.run_id))]
      expect(runs).toHaveLength(3)
      for (let k = 1; k < runs.length; k++) {
        const before = own.filter((event) => event.run_id === runs[k - 1])
        const next = own.filter((event) => event.run_id === runs[k])
        const lastBefore = before.at(-1) as (typeof own)[number]
        const firstNext = next[0] as (typeof own)[number]
        // Not interleaved: every event of run k came before any of run k + 1, with the think time between.
        expect(lastBefore.seq).toBeLessThan(firstNext.seq)
        expect(firstNext.ts - lastBefore.ts).toBeGreaterThanOrEqual(300 - 1)
      }
    }
  })

  it('refuses a ramp-up with an arrival rate, in the file or as flags, and more than 10,000 users', async () => {
    expect(() => exampleTarget((json) => (json.load = { rampUpMs: 100, arrivalRate: 5 }))).toThrow(
      /load\.arrivalRate: give rampUpMs or arrivalRate, not both/
    )
    const usage = async (argv: string[]): Promise<string> => {
      const error = await targetCommand(argv, () => {}).then(
        () => null,
        (thrown: unknown) => thrown
      )
      expect(error).toBeInstanceOf(CliUsageError)
      return (error as CliUsageError).message
    }
    const base = [EXAMPLE_PATH, '--users', '2', '--runs', '1']
    expect(await usage([...base, '--ramp-up', '100', '--arrival-rate', '5'])).toMatch(
      /--ramp-up and --arrival-rate both say when users arrive/
    )
    expect(await usage([...base, '--arrival-rate', 'fast'])).toMatch(
      /--arrival-rate: expected users per second/
    )
    expect(await usage([...base, '--think-time', '1.5'])).toMatch(/--think-time: expected a whole number/)
    expect(await usage([...base, '--connect-concurrency', '0'])).toMatch(
      /--connect-concurrency: must be at least 1/
    )
    expect(await usage([EXAMPLE_PATH, '--users', '10001', '--runs', '1'])).toMatch(
      /--users: must be at most 10000/
    )
  })

  it('says before connecting when the users will not fit in the file descriptors', () => {
    expect(descriptorShortfall(100, 1_024)).toBeNull()
    expect(descriptorShortfall(10_000, 1_024)).toMatch(
      /^10000 sockets need about 10064 file descriptors, but this process may open 1024 \(ulimit -n\); raise the limit/
    )
    expect(descriptorShortfall(10_000, null)).toBeNull()
  })
})
