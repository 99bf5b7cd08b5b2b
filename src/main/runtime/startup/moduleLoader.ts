import { BackendError, toErrorInfo } from '../errors'
import type { ErrorInfo } from '../../../shared/inspection'
import type { InspectionBus } from '../inspection/inspectionBus'
import type { CodeEffect } from './codeEffects'
import type { ModuleGraph, ModuleSpec } from './moduleGraph'

export type EffectRunner = (effect: CodeEffect, module: string) => void

export interface ModuleLoadResult {
  loaded: string[]
  failures: Array<{ module: string; entry: string; chain: string[]; error: ErrorInfo }>
  testsBlocked: string[]
  testsCollected: string[]
}

/**
 * Imports a module graph depth first, running each module's import-time effects, the way Python would. An effect
 * that raises fails its module and every importer above it, and the error carries the import chain that led there.
 */
export function loadModuleGraph(
  graph: ModuleGraph,
  runEffect: EffectRunner,
  bus: InspectionBus
): ModuleLoadResult {
  const byName = new Map(graph.modules.map((module) => [module.name, module]))
  const loaded = new Set<string>()
  const result: ModuleLoadResult = { loaded: [], failures: [], testsBlocked: [], testsCollected: [] }

  const importModule = (module: ModuleSpec, stack: string[]): void => {
    if (loaded.has(module.name)) return
    if (stack.includes(module.name)) return // a circular import sees the partially initialised module, as in Python
    const chain = [...stack, module.name]
    for (const name of module.imports) importModule(byName.get(name) as ModuleSpec, chain)
    for (const effect of module.effects) {
      try {
        runEffect(effect, module.name)
      } catch (error) {
        const effectChain = [...stack, effect.site, effect.code]
        throw error instanceof BackendError
          ? error.calledFrom(effectChain)
          : new BackendError('ImportError', String(error), effect.site, effectChain)
      }
    }
    loaded.add(module.name)
    result.loaded.push(module.name)
    bus.emit({ kind: 'module_loaded', module: module.name, chain })
  }

  for (const entryName of graph.entries) {
    const entry = byName.get(entryName) as ModuleSpec
    try {
      importModule(entry, [])
      result.testsCollected.push(...entry.tests)
    } catch (error) {
      const info = toErrorInfo(error)
      const chain = info.chain ?? [entryName]
      result.failures.push({ module: entryName, entry: entryName, chain, error: info })
      result.testsBlocked.push(...entry.tests)
      bus.emit({ kind: 'module_failed', module: entryName, chain, error: info })
    }
  }
  return result
}
