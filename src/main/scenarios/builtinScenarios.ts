import type { Scenario } from '../../shared/scenario'
import crossUserLeak from './builtin/cross-user-leak.json'
import importTimeFactoryCall from './builtin/import-time-factory-call.json'
import importTimeManagerInTests from './builtin/import-time-manager-in-tests.json'
import keywordMismatch from './builtin/keyword-mismatch.json'
import legacyStartupSingletons from './builtin/legacy-startup-singletons.json'
import missingBridge from './builtin/missing-bridge.json'
import { parseScenario } from './loadScenario'

/** The JSON files in builtin/, one per failure of the seed reports, in report order. Imported, so bundles keep them. */
const BUILTIN_FILES: ReadonlyArray<readonly [string, unknown]> = [
  ['import-time-factory-call.json', importTimeFactoryCall],
  ['import-time-manager-in-tests.json', importTimeManagerInTests],
  ['legacy-startup-singletons.json', legacyStartupSingletons],
  ['keyword-mismatch.json', keywordMismatch],
  ['missing-bridge.json', missingBridge],
  ['cross-user-leak.json', crossUserLeak]
]

let parsed: Scenario[] | null = null

/** Every built-in scenario, checked with the same parser as a user's file; a broken one throws naming its file. */
export function builtinScenarios(): readonly Scenario[] {
  parsed ??= BUILTIN_FILES.map(([file, value]) => parseScenario(value, `builtin/${file}`))
  return parsed
}

export function findBuiltinScenario(id: string): Scenario | undefined {
  return builtinScenarios().find((scenario) => scenario.id === id)
}
