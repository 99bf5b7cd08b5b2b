import type { Fixture, ScenarioSystem } from '../../shared/scenario'
import type { RunOutcome } from '../../shared/scenarioResult'
import type { Runtime } from '../runtime/runtime'
import { PerTestFixture } from '../runtime/testing/perTestFixture'
import type { StepMarker } from './driveUsers'

/**
 * Runs each collected test of the modules a fixture serves, as pytest would after collection: one test at a time,
 * each inside its own fixture (setup, test, teardown), each framed by a step that names it.
 */
export function runFixtureTests(
  runtime: Runtime,
  system: Pick<ScenarioSystem, 'fixtures' | 'moduleGraph'>,
  collected: readonly string[],
  step: StepMarker
): NonNullable<RunOutcome['testsRun']> {
  const results: NonNullable<RunOutcome['testsRun']> = []
  for (const fixture of system.fixtures) {
    const perTest = new PerTestFixture(fixture.name, fixture.setup, runtime)
    for (const test of testsServed(fixture, system, collected)) {
      step(`test ${test} starts: fixture ${fixture.name} sets up`)
      const result = perTest.runTest(() => step(`test ${test} runs with its own manager`))
      step(`test ${test} ${result.passed ? 'passed' : 'failed'}: ${result.detail}`)
      results.push({ name: test, fixture: fixture.name, ...result })
    }
  }
  return results
}

function testsServed(
  fixture: Fixture,
  system: Pick<ScenarioSystem, 'moduleGraph'>,
  collected: readonly string[]
): string[] {
  const modules = system.moduleGraph?.modules ?? []
  return modules
    .filter((module) => fixture.modules.includes(module.name))
    .flatMap((module) => module.tests)
    .filter((test) => collected.includes(test))
}
