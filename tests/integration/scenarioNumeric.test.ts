import { beforeAll, describe, expect, it } from 'vitest'
import { expectationSchema, type RunOutcome } from '../../src/shared/scenario'
import { findBuiltinScenario } from '../../src/main/scenarios/builtinScenarios'
import { evaluateExpectations } from '../../src/main/scenarios/expectations'
import { runScenario } from '../../src/main/scenarios/runScenario'

let fixed: RunOutcome
beforeAll(async () => {
  const result = await runScenario(findBuiltinScenario('missing-bridge')!, { mode: 'fixed' })
  fixed = result.runs[0]!
}, 60_000)

const judge = (expectation: unknown) =>
  evaluateExpectations([expectationSchema.parse(expectation)], fixed)[0]!

describe("numeric expectations, on missing-bridge's fixed run (twelve users)", () => {
  it("holds the ADR's 10+ concurrent users and < 500 ms, as the built-in asserts", () => {
    const labels = fixed.expectations.filter((result) => result.label.startsWith('ADR-001'))
    expect(labels.map((result) => [result.expect, result.held])).toEqual([
      ['users', true],
      ['latency', true]
    ])
    expect(judge({ expect: 'users', connectedAtOnce: { min: 10 } })).toMatchObject({
      held: true,
      expected: 'at least 10 users connected at once',
      found: '12 at most'
    })
  })

  it('fails users connected at once when the peak misses the bound, naming the peak', () => {
    const result = judge({ expect: 'users', connectedAtOnce: { above: 12 } })
    expect(result).toMatchObject({
      held: false,
      expected: 'more than 12 users connected at once',
      found: '12 at most'
    })
    const peak = fixed.trace.find((event) => event.seq === result.evidence[0])
    expect(peak).toMatchObject({ kind: 'user_connected', context: { user_id: 'niaj' } })
  })

  it('measures a latency percentile for each receiving user, and fails naming the users that miss it', () => {
    const held = judge({ expect: 'latency', percentile: 99, ms: { below: 500 } })
    expect(held.held).toBe(true)
    expect(held.expected).toBe('p99 delivery latency of each user less than 500 ms')
    expect(held.found).toMatch(/^p99 alice [\d.]+ ms, bob [\d.]+ ms, /)
    expect(held.evidence).toHaveLength(12)
    const failed = judge({ expect: 'latency', percentile: 50, ms: { below: 0 } })
    expect(failed.held).toBe(false)
    expect(failed.found).toMatch(/^p50 not met by 12 of 12: alice [\d.]+ ms/)
    const overall = judge({ expect: 'latency', percentile: 100, per: 'all', ms: { max: 500 } })
    expect(overall).toMatchObject({ held: true, expected: 'p100 delivery latency at most 500 ms' })
  })

  it('compares counts with above and below', () => {
    const deliveries = { kind: 'agent_event_delivered' }
    expect(judge({ expect: 'events', match: deliveries, count: { above: 59, below: 61 } })).toMatchObject({
      held: true,
      expected: 'more than 59 and less than 61 agent_event_delivered',
      found: '60'
    })
    expect(judge({ expect: 'events', match: deliveries, count: { below: 60 } })).toMatchObject({
      held: false,
      found: '60'
    })
  })
})
