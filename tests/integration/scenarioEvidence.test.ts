import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Scenario } from '../../src/shared/scenario'
import { runExitCode } from '../../src/main/cli/runCommand'
import { bindWhys } from '../../src/main/scenarios/bindWhys'
import { builtinScenarios, findBuiltinScenario } from '../../src/main/scenarios/builtinScenarios'
import { runScenario } from '../../src/main/scenarios/runScenario'

/** The run a why must not be provable in: the fix for a failing run, the failure for the fix. */
const wrongRun = (run: string): string => (run === 'fixed' ? 'failure' : 'fixed')

describe.each(builtinScenarios().map((scenario) => [scenario.id, scenario] as const))(
  'the whys of %s',
  (_id, scenario) => {
    it('bind in their own run and fail to bind when pointed at the other run', async () => {
      const result = await runScenario(scenario)
      expect(result.whys.map((why) => why.problem)).toEqual([null, null, null, null, null])
      for (const why of result.whys) expect(why.contrast).toMatchObject({ seq: null })
      const pointedWrong: Scenario = {
        ...scenario,
        whys: scenario.whys.map((why) => ({
          ...why,
          evidence: { ...why.evidence, run: wrongRun(why.evidence.run) }
        }))
      }
      const rebound = bindWhys(pointedWrong, result.runs)
      for (const why of rebound) {
        expect(why.seq, `why ${why.index} also binds in the ${why.run} trace`).toBeNull()
        expect(why.problem).toMatch(
          new RegExp(`^why ${why.index} is not bound: no .* in the ${why.run} trace`)
        )
      }
    })
  }
)

const withWhy = (
  scenario: Scenario,
  index: number,
  evidence: Scenario['whys'][number]['evidence']
): Scenario => ({
  ...scenario,
  whys: scenario.whys.map((why, at) => (at === index ? { ...why, evidence } : why))
})

describe('evidence that holds in both runs', () => {
  it('is refused, naming the why and the step of the other run that matched it too (exit 3)', async () => {
    const scenario = withWhy(findBuiltinScenario('keyword-mismatch')!, 2, {
      run: 'failure',
      match: { kind: 'phase_transition', where: { to: 'ready' } },
      occurrence: 'first'
    })
    const result = await runScenario(scenario)
    const why = result.whys[2]!
    expect(why.seq).not.toBeNull()
    const fixed = result.runs.find((run) => run.run === 'fixed')!
    const ready = fixed.trace.find((event) => event.kind === 'phase_transition' && event.to === 'ready')!
    expect(why.contrast).toEqual({ run: 'fixed', seq: ready.seq })
    expect(why.problem).toBe(
      `why 3 does not tell the runs apart: phase_transition where to="ready" also matches step ${ready.seq} of the ` +
        'fixed trace (phase_transition), so it holds in both. Bind whys[2].evidence to a step only the failure run ' +
        'has, or declare evidence.contrast.differs.'
    )
    expect(result.verdict).toMatchObject({ whysBound: false, whysDiscriminate: false, ok: false })
    expect(runExitCode(result)).toBe(3)
  })

  it('is refused for a fixed-run why that the failure shows as well', async () => {
    const scenario = withWhy(findBuiltinScenario('cross-user-leak')!, 4, {
      run: 'fixed',
      match: { kind: 'user_connected', where: { 'context.user_id': 'alice' } },
      occurrence: 'first'
    })
    const result = await runScenario(scenario)
    expect(result.whys[4]!.problem).toMatch(
      /^why 5 does not tell the runs apart: .* step \d+ of the failure trace/
    )
    expect(runExitCode(result)).toBe(3)
  })

  it('is accepted with a declared contrast when the named fields differ, and refused when they agree', async () => {
    const leak = findBuiltinScenario('cross-user-leak')!
    const bobJoins = { kind: 'user_connected' as const, where: { 'context.user_id': 'bob' } }
    const differentManager = withWhy(leak, 3, {
      run: 'failure',
      match: bobJoins,
      occurrence: 'first',
      contrast: { differs: ['manager_id'] }
    })
    const accepted = await runScenario(differentManager)
    expect(accepted.whys[3]).toMatchObject({ problem: null, contrast: { run: 'fixed', seq: null } })
    expect(runExitCode(accepted)).toBe(0)

    const sameUser = withWhy(leak, 3, {
      run: 'failure',
      match: bobJoins,
      occurrence: 'first',
      contrast: { differs: ['context.user_id'] }
    })
    const refused = await runScenario(sameUser)
    expect(refused.whys[3]!.problem).toMatch(
      /^why 4 does not tell the runs apart: its step \(\d+\) and the same occurrence in the fixed trace, step \d+, agree on context\.user_id/
    )
    expect(runExitCode(refused)).toBe(3)
  })
})

describe('session-inspector run, on a file whose evidence proves nothing', { timeout: 90_000 }, () => {
  it('exits 3 and prints which why matched where in the other run', async () => {
    const scenario = withWhy(findBuiltinScenario('missing-bridge')!, 4, {
      run: 'fixed',
      match: { kind: 'contract_check', where: { contract: 'websocket_connection_pool' } },
      occurrence: 'first'
    })
    const dir = mkdtempSync(join(tmpdir(), 'evidence-'))
    const file = join(dir, 'weak.json')
    writeFileSync(file, JSON.stringify(scenario))
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
      (resolve) =>
        execFile('npx', ['tsx', 'src/main/cli.ts', 'run', file], { timeout: 60_000 }, (error, out, err) =>
          resolve({
            code: error && typeof error.code === 'number' ? error.code : error ? 1 : 0,
            stdout: out,
            stderr: err
          })
        )
    )
    expect(stderr).not.toContain('    at ')
    expect(code).toBe(3)
    expect(stdout).toMatch(/5\. .* -> step \d+ of fixed, ALSO in failure \(step \d+\)/)
    expect(stdout).toMatch(
      /why 5 does not tell the runs apart: contract_check where contract="websocket_connection_pool" also matches step \d+ of the failure trace/
    )
  })
})
