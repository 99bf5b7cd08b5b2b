import { describe, expect, it } from 'vitest'
import { findBuiltinScenario } from '../../src/main/scenarios/builtinScenarios'
import { runScenario } from '../../src/main/scenarios/runScenario'

describe('a scenario run given an AbortSignal', () => {
  it('stops at the next step once aborted: no later run boots, and the call rejects with the reason', async () => {
    const scenario = findBuiltinScenario('cross-user-leak')
    if (!scenario) throw new Error('no built-in scenario cross-user-leak')
    const controller = new AbortController()
    const finished: number[] = []
    const run = runScenario(scenario, {
      mode: 'both',
      signal: controller.signal,
      onRunFinished: (count, total) => {
        finished.push(count)
        // Cancelled after the first of at least two runs (failure, then fix).
        expect(total).toBeGreaterThan(1)
        controller.abort(new Error('cancelled by the test'))
      }
    })
    await expect(run).rejects.toThrow('cancelled by the test')
    expect(finished).toEqual([1])
  })

  it('runs to its verdict when the signal is never aborted', async () => {
    const scenario = findBuiltinScenario('cross-user-leak')
    if (!scenario) throw new Error('no built-in scenario cross-user-leak')
    const result = await runScenario(scenario, { mode: 'both', signal: new AbortController().signal })
    expect(result.verdict.ok).toBe(true)
  })
})
