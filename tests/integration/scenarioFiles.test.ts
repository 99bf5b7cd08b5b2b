import { afterEach, describe, expect, it, vi } from 'vitest'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  scenarioListResultSchema,
  scenarioReportResultSchema,
  scenarioRunResultSchema
} from '../../src/shared/scenario'
import { main } from '../../src/main/cli'
import { runExitCode } from '../../src/main/cli/runCommand'
import { createScenarioCommands } from '../../src/main/host/scenarioCommands'
import { loadScenarioFile } from '../../src/main/scenarios/loadScenario'
import { runScenario } from '../../src/main/scenarios/runScenario'

const fixture = (name: string): string => new URL(`../fixtures/scenarios/${name}`, import.meta.url).pathname

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void err.push(String(line)))
  const code = await main(argv, (line) => out.push(line))
  spy.mockRestore()
  return { code, out: out.join('\n'), err: err.join('\n') }
}

afterEach(() => vi.restoreAllMocks())

describe('a scenario written only for the tests', () => {
  it('runs through the same engine as the built-in ones', async () => {
    const scenario = await loadScenarioFile(fixture('foreign-context-at-connect.json'))
    const result = await runScenario(scenario)
    expect(result.scenario.builtin).toBe(false)
    expect(result.verdict).toMatchObject({ reproduced: true, fixed: true, whysBound: true, ok: true })
    expect(result.runs[0]!.users.refused.map((user) => user.user_id)).toEqual(['dana', 'eli'])
  })

  it('is an error in the scenario when a why names no step of its trace (exit 3)', async () => {
    const scenario = await loadScenarioFile(fixture('foreign-context-at-connect.json'))
    const whys = scenario.whys.map((why, index) =>
      index === 2
        ? {
            ...why,
            evidence: { ...why.evidence, match: { kind: 'isolation_violation' as const, where: {} } }
          }
        : why
    )
    const result = await runScenario({ ...scenario, whys })
    expect(result.verdict.whysBound).toBe(false)
    expect(result.whys[2]!.problem).toMatch(
      /^why 3 is not bound: no .*isolation_violation in the failure trace/
    )
    expect(runExitCode(result)).toBe(3)
  })
})

describe('CLI', () => {
  it('lists the built-in scenarios as JSON', async () => {
    const { code, out } = await cli('list', '--json')
    expect(code).toBe(0)
    expect(scenarioListResultSchema.parse(JSON.parse(out)).scenarios).toHaveLength(6)
  })

  it('runs a scenario file, writes the report and exits 0 when it behaves as claimed', async () => {
    const report = join(mkdtempSync(join(tmpdir(), 'scenario-')), 'out.md')
    const { code, out } = await cli(
      'run',
      fixture('foreign-context-at-connect.json'),
      '--seed',
      '3',
      '--report',
      report
    )
    expect(code).toBe(0)
    expect(out).toContain('failure reproduced: yes; fix fixes it: yes')
    const markdown = readFileSync(report, 'utf8')
    expect(markdown).toContain('## Five whys')
    expect(markdown).toContain('Seed 3, mode both')
  })

  it('prints JSON that the shared schema accepts', async () => {
    const { code, out } = await cli('run', 'missing-bridge', '--mode', 'fixed', '--json')
    expect(code).toBe(0)
    const { exitCode, ...result } = JSON.parse(out) as Record<string, unknown>
    expect(exitCode).toBe(0)
    expect(scenarioRunResultSchema.parse(result).runs.map((run) => run.run)).toEqual(['fixed'])
  })

  it('exits 2 naming the field path for a broken file, an unknown id or a bad flag', async () => {
    const broken = await cli('run', fixture('broken.json'))
    expect(broken.code).toBe(2)
    expect(broken.err).toContain('at whys: expected exactly five whys, found 4')
    expect(broken.err).toContain('at system.faults[0]')
    const unknown = await cli('run', 'no-such-scenario')
    expect(unknown.code).toBe(2)
    expect(unknown.err).toContain("no built-in scenario 'no-such-scenario'")
    const mode = await cli('run', 'missing-bridge', '--mode', 'sideways')
    expect(mode.code).toBe(2)
    expect(mode.err).toContain('--mode')
  })
})

describe('InspectorApi scenario commands', () => {
  it('list, run and report with results the renderer can parse', async () => {
    const commands = createScenarioCommands()
    const list = await commands.handle({ cmd: 'list_scenarios' })
    expect(list.ok && scenarioListResultSchema.parse(list.result).scenarios[0]?.id).toBe(
      'import-time-factory-call'
    )
    const run = await commands.handle({ cmd: 'run_scenario', id: 'keyword-mismatch', mode: 'both' })
    if (!run.ok) throw new Error(run.error.message)
    const parsed = scenarioRunResultSchema.parse(run.result)
    expect(parsed.whys.every((why) => why.seq !== null)).toBe(true)
    const report = await commands.handle({ cmd: 'scenario_report', id: 'keyword-mismatch' })
    expect(report.ok && scenarioReportResultSchema.parse(report.result).markdown).toContain(
      'keyword-mismatch'
    )
    const missing = await commands.handle({ cmd: 'run_scenario', id: '../etc/passwd', mode: 'both' })
    expect(missing).toMatchObject({ ok: false, error: { path: 'id' } })
  })
})
