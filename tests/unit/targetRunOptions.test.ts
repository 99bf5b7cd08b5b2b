import { describe, expect, it } from 'vitest'
import {
  resolveTargetOptions,
  TargetOptionError,
  type GivenTargetOptions
} from '../../src/main/target/targetRunOptions'

const FLAGS = { rampUp: '--ramp-up', arrivalRate: '--arrival-rate', runId: '--run-id', shard: '--shard' }
const INPUTS = { rampUp: 'ramp_up_ms', arrivalRate: 'arrival_rate', runId: 'run_id', shard: 'shard' }

/** The message a refusal gives, or null when the options are accepted. */
function refusal(given: GivenTargetOptions, names = FLAGS, env: NodeJS.ProcessEnv = {}): string | null {
  try {
    resolveTargetOptions(given, names, env)
    return null
  } catch (error) {
    if (error instanceof TargetOptionError) return error.message
    throw error
  }
}

describe("target mode's run options (the CLI's flags, MCP's run_target inputs)", () => {
  it('replaces only the load fields given, and passes the run id and shard on', () => {
    expect(resolveTargetOptions({ users: 4 }, FLAGS, {})).toEqual({ load: {} })
    expect(
      resolveTargetOptions(
        { users: 4, arrivalRate: 2.5, thinkTimeMs: 0, connectConcurrency: 3, runId: 'job-1', shard: '3/4' },
        INPUTS,
        {}
      )
    ).toEqual({
      load: { arrivalRate: 2.5, thinkTimeMs: 0, connectConcurrency: 3 },
      runId: 'job-1',
      shard: { index: 3, count: 4 }
    })
  })

  it('words each rule with the caller’s names for the options', () => {
    expect(refusal({ users: 2, rampUpMs: 0, arrivalRate: 1 })).toBe(
      '--ramp-up and --arrival-rate both say when users arrive; give one'
    )
    expect(refusal({ users: 2, rampUpMs: 0, arrivalRate: 1 }, INPUTS)).toBe(
      'ramp_up_ms and arrival_rate both say when users arrive; give one'
    )
    expect(refusal({ users: 2, shard: '0/2' }, INPUTS)).toBe(
      "shard needs run_id, the same for every shard, so that each derives every user's canary"
    )
    expect(refusal({ users: 2, runId: 'r', shard: '0/3' })).toBe(
      '--shard: 3 shards for 2 user(s) leaves a shard with nobody'
    )
    expect(refusal({ users: 2, runId: 'r', shard: '2/2' })).toBe(
      '--shard: index 2 is past the last shard (0 to 1)'
    )
    expect(refusal({ users: 2_000, runId: 'r', shard: '0/1001' })).toBe(
      '--shard: N must be 1 to 1000 (got 1001)'
    )
    expect(refusal({ users: 2, runId: 'r', shard: '0/0' })).toBe('--shard: N must be 1 to 1000 (got 0)')
  })

  it('auto/N takes the index from JOB_COMPLETION_INDEX, and says what is wrong with it', () => {
    const auto = { users: 4, runId: 'r', shard: 'auto/2' }
    expect(resolveTargetOptions(auto, FLAGS, { JOB_COMPLETION_INDEX: '1' }).shard).toEqual({
      index: 1,
      count: 2
    })
    expect(refusal(auto, FLAGS, {})).toBe(
      '--shard auto/2: JOB_COMPLETION_INDEX is not set; run it in a Kubernetes Indexed Job, or give the index (--shard 0/2)'
    )
    expect(refusal(auto, FLAGS, { JOB_COMPLETION_INDEX: 'x' })).toMatch(/is 'x', not a whole number/)
    expect(refusal(auto, FLAGS, { JOB_COMPLETION_INDEX: '2' })).toBe(
      '--shard: index 2 is past the last shard (0 to 1)'
    )
  })
})
