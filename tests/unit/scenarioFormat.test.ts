import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { scenarioJsonSchema, SCENARIO_SCHEMA_PATH } from '../../scripts/scenarioSchema'
import { builtinScenarios } from '../../src/main/scenarios/builtinScenarios'
import { loadScenarioFile, parseScenario, ScenarioFileError } from '../../src/main/scenarios/loadScenario'

const fixture = (name: string): string => new URL(`../fixtures/scenarios/${name}`, import.meta.url).pathname

async function problemsOf(load: () => Promise<unknown> | unknown): Promise<ScenarioFileError['problems']> {
  try {
    await load()
  } catch (error) {
    if (error instanceof ScenarioFileError) return error.problems
    throw error
  }
  throw new Error('expected a ScenarioFileError')
}

describe('scenario format', () => {
  it('has one built-in scenario per failure of the seed reports, each with five whys', () => {
    const scenarios = builtinScenarios()
    expect(scenarios.map((scenario) => scenario.id)).toEqual([
      'import-time-factory-call',
      'import-time-manager-in-tests',
      'legacy-startup-singletons',
      'keyword-mismatch',
      'missing-bridge',
      'cross-user-leak'
    ])
    expect(scenarios.map((scenario) => scenario.source.report.slice(0, 3))).toEqual([
      '000',
      '001',
      '002',
      '003',
      '004',
      '004'
    ])
    for (const scenario of scenarios) expect(scenario.whys).toHaveLength(5)
  })

  it('names the field path and the problem for every mistake in a broken file', async () => {
    const problems = await problemsOf(() => loadScenarioFile(fixture('broken.json')))
    expect(problems).toEqual([
      { path: 'id', message: expect.stringContaining('lower-case letters, digits and dashes') },
      { path: 'system.faults[0]', message: expect.stringContaining('expected one of') },
      {
        path: 'failure.expect[0].match.where.calller',
        message: expect.stringContaining("'calller' is not a field of manager_rejected events")
      },
      { path: 'whys', message: 'expected exactly five whys, found 4' }
    ])
  })

  it('reports a file that is not JSON, and one that cannot be read', async () => {
    const file = fixture('broken.json').replace('broken.json', 'not-there.json')
    expect(await problemsOf(() => loadScenarioFile(file))).toEqual([
      { path: '(file)', message: expect.stringContaining('cannot be read') }
    ])
    const { parseScenarioJson } = await import('../../src/main/scenarios/loadScenario')
    expect(await problemsOf(() => parseScenarioJson('{"id": ', 'inline.json'))).toEqual([
      { path: '(file)', message: expect.stringContaining('not valid JSON') }
    ])
  })

  it('checks cross-references once the shape is right: why runs and change sites', async () => {
    const valid = JSON.parse(readFileSync(fixture('foreign-context-at-connect.json'), 'utf8')) as Record<
      string,
      unknown
    >
    const whys = structuredClone(valid['whys']) as Array<{ evidence: { run: string } }>
    whys[1]!.evidence.run = 'later'
    expect(await problemsOf(() => parseScenario({ ...valid, whys }, 'x.json'))).toEqual([
      { path: 'whys[1].evidence.run', message: "run 'later' does not exist; expected one of failure, fixed" }
    ])
    const fix = {
      summary: 'x',
      change: { effects: [{ site: 'nowhere.py:1', with: [] }] },
      expect: [{ expect: 'startup', state: 'ready' }]
    }
    expect(await problemsOf(() => parseScenario({ ...valid, fix }, 'x.json'))).toEqual([
      {
        path: 'fix.change.effects[0].site',
        message: expect.stringContaining("no effect or start-up hook has site 'nowhere.py:1'")
      }
    ])
  })

  it('keeps the committed JSON Schema in step with the zod format (npm run scenarios:schema)', () => {
    expect(readFileSync(SCENARIO_SCHEMA_PATH, 'utf8')).toBe(scenarioJsonSchema())
  })
})
