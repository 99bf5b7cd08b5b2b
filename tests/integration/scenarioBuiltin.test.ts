import { describe, expect, it } from 'vitest'
import type { InspectionEvent } from '../../src/shared/inspection'
import { scenarioRunResultSchema } from '../../src/shared/scenario'
import { builtinScenarios, findBuiltinScenario } from '../../src/main/scenarios/builtinScenarios'
import { markdownReport } from '../../src/main/scenarios/report/markdownReport'
import { runScenario } from '../../src/main/scenarios/runScenario'

describe.each(builtinScenarios().map((scenario) => [scenario.id, scenario] as const))(
  'built-in scenario %s',
  (_id, scenario) => {
    it('reproduces the failure, is fixed by its fix, and binds all five whys', async () => {
      const result = await runScenario(scenario, { mode: 'both', builtin: true })
      for (const run of result.runs) {
        const failed = run.expectations.filter((expectation) => !expectation.held)
        expect(
          failed,
          `${run.run}: ${failed.map((item) => `${item.expected} / found ${item.found}`).join('; ')}`
        ).toEqual([])
      }
      expect(result.whys.map((why) => why.problem)).toEqual([null, null, null, null, null])
      expect(result.whys.every((why) => why.seq !== null)).toBe(true)
      expect(result.verdict).toMatchObject({
        reproduced: true,
        fixed: true,
        whysBound: true,
        ok: true,
        problems: []
      })
      expect(result.runs.map((run) => run.run)).toEqual([
        'failure',
        ...scenario.variants.map((variant) => variant.id),
        'fixed'
      ])
      // The result crosses IPC and the web channel: it must be plain JSON that the renderer's schema accepts.
      expect(scenarioRunResultSchema.parse(JSON.parse(JSON.stringify(result)))).toEqual(result)
      expect(markdownReport(result)).toContain('```mermaid')
    })
  }
)

describe('scenario modes', () => {
  it('runs only the failure and its variants in failure mode, leaving fixed-run whys unbound but not in error', async () => {
    const scenario = findBuiltinScenario('missing-bridge')!
    const result = await runScenario(scenario, { mode: 'failure' })
    expect(result.runs.map((run) => run.run)).toEqual(['failure', 'fail-fast'])
    expect(result.verdict).toMatchObject({ reproduced: true, fixed: null, whysBound: true, ok: true })
    const fixedWhy = result.whys.find((why) => why.run === 'fixed')
    expect(fixedWhy).toMatchObject({ seq: null, problem: null })
  })

  it('shows the failure when the fix is run as if it were the failure', async () => {
    const scenario = findBuiltinScenario('cross-user-leak')!
    const inverted = { ...scenario, fix: { ...scenario.fix, expect: scenario.failure.expect } }
    const result = await runScenario(inverted, { mode: 'fixed' })
    expect(result.verdict.fixed).toBe(false)
    expect(result.verdict.problems.join('\n')).toContain('exactly 30 isolation_violation; found 0')
  })
})

const stable = (trace: readonly InspectionEvent[]): unknown[] =>
  trace.map((event) => {
    const { ts: _ts, ...rest } = event
    if (rest.kind === 'agent_event_delivered') return { ...rest, latency_ms: 0 }
    return rest
  })

describe('determinism', () => {
  it('gives the same trace, apart from timings, for the same seed', async () => {
    const scenario = findBuiltinScenario('cross-user-leak')!
    const first = await runScenario(scenario, { seed: 42 })
    const second = await runScenario(scenario, { seed: 42 })
    expect(first.runs.map((run) => stable(run.trace))).toEqual(second.runs.map((run) => stable(run.trace)))
    expect(first.whys).toEqual(second.whys)
  })

  it('gives other ids for another seed', async () => {
    const scenario = findBuiltinScenario('keyword-mismatch')!
    const [a, b] = await Promise.all([
      runScenario(scenario, { seed: 1, mode: 'failure' }),
      runScenario(scenario, { seed: 2, mode: 'failure' })
    ])
    expect(stable(a.runs[0]!.trace)).not.toEqual(stable(b.runs[0]!.trace))
    expect(a.runs[0]!.trace.length).toBe(b.runs[0]!.trace.length)
  })
})
