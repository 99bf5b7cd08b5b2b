import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runExitCode } from '../../src/main/cli/runCommand'
import { scanFolder, type ScanOptions } from '../../src/main/scan/scanFolder'
import { scanScenario } from '../../src/main/scan/scenario/scanScenario'
import { resolveScenario } from '../../src/main/scenarios/resolveScenario'
import { runScenario } from '../../src/main/scenarios/runScenario'
import { writeTree } from '../helpers/scanTree'

const FIXTURES = join(process.cwd(), 'tests/fixtures/scan')

/** Scans a tree, writes its scenario to a file, and replays that file as `run FILE` does. */
async function replay(root: string, options: Partial<ScanOptions> = {}) {
  const outcome = await scanFolder({
    root,
    language: 'python',
    entries: [],
    calls: [],
    startup: [],
    ...options
  })
  const scenario = scanScenario(outcome.report, outcome.modules, outcome.analysis.imports)
  const file = join(writeTree({}), 'scenario.json')
  writeFileSync(file, JSON.stringify(scenario, null, 2))
  const resolved = await resolveScenario(file)
  const result = await runScenario(resolved.scenario, { mode: 'both', builtin: resolved.builtin })
  return { scenario, result }
}

describe('scan --scenario: the scanned code as a replayable scenario', { timeout: 60_000 }, () => {
  it("report 000's tree fails under the strict wrapper with the report's own import chain, and the fix imports", async () => {
    const { scenario, result } = await replay(join(FIXTURES, 'report000'))
    expect(scenario.system.moduleGraph?.entries).toEqual(['test_agents_execute_decorator.py'])
    expect(scenario.system.moduleGraph?.modules.map((module) => module.name)).toEqual([
      'agents_execute.py',
      'agent_service.py',
      'agent_service_factory.py',
      'test_agents_execute_decorator.py'
    ])
    expect(runExitCode(result)).toBe(0)
    const failed = result.runs
      .find((run) => run.run === 'failure')
      ?.trace.find((event) => event.kind === 'module_failed')
    expect(failed && 'chain' in failed ? failed.chain : null).toEqual([
      'test_agents_execute_decorator.py',
      'agents_execute.py',
      'agent_service.py',
      'agent_service_factory.py:14',
      'manager = get_websocket_manager()'
    ])
  })

  it("report 001's four files each fail, and every test is collected once they are deferred", async () => {
    const { scenario, result } = await replay(join(FIXTURES, 'report001'))
    expect(
      scenario.system.moduleGraph?.modules.flatMap((module) => module.effects.map((effect) => effect.site))
    ).toEqual([
      'test_websocket_thread_integration_fixtures.py:23',
      'thread_test_fixtures.py:26',
      'test_message_pipeline.py:36',
      'test_thread_loading_websocket_regression.py:28'
    ])
    expect(runExitCode(result)).toBe(0)
  })

  it("report 002's start-up findings become READINESS hooks beside the import-time one", async () => {
    const { scenario, result } = await replay(join(FIXTURES, 'report002'), {
      startup: ['netra_backend.app.main:lifespan']
    })
    expect(scenario.system.wiring.startupHooks?.map((hook) => hook.effect.site)).toEqual([
      'startup_module.py:899',
      'unified_init.py:72',
      'unified_init.py:77'
    ])
    expect(runExitCode(result)).toBe(0)
  })

  it('a tree with start-up findings only fails at READINESS', async () => {
    const root = writeTree({
      'app/__init__.py': '',
      'app/main.py':
        'from app.ws import get_websocket_manager\n\n\nasync def lifespan(app):\n    get_websocket_manager()\n    yield\n'
    })
    const { result } = await replay(root, { startup: ['app.main:lifespan'] })
    expect(result.runs.find((run) => run.run === 'failure')?.startup.failedPhase).toBe('readiness')
    expect(runExitCode(result)).toBe(0)
  })
})
