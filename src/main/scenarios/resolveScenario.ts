import type { Scenario } from '../../shared/scenario'
import { builtinScenarios, findBuiltinScenario } from './builtinScenarios'
import { loadScenarioFile } from './loadScenario'

export class UnknownScenarioError extends Error {
  constructor(id: string) {
    super(
      `no built-in scenario '${id}'. Built-in: ${builtinScenarios()
        .map((scenario) => scenario.id)
        .join(', ')}; or give a path ending in .json`
    )
    this.name = 'UnknownScenarioError'
  }
}

/** A built-in id, or a path to a scenario file (anything ending in .json). */
export async function resolveScenario(idOrFile: string): Promise<{ scenario: Scenario; builtin: boolean }> {
  if (idOrFile.endsWith('.json')) return { scenario: await loadScenarioFile(idOrFile), builtin: false }
  const scenario = findBuiltinScenario(idOrFile)
  if (!scenario) throw new UnknownScenarioError(idOrFile)
  return { scenario, builtin: true }
}
