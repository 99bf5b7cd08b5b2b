import type { ExecUnit, ModuleRecord } from './model'
import { resolvePath, type ModuleTable } from './resolve'

/** A declared start-up entry point (`--startup MODULE:FUNCTION`), found in the tree. */
export interface StartupEntry {
  spec: string
  module: ModuleRecord
  unit: ExecUnit
  line: number
}

export class StartupEntryError extends Error {}

/**
 * MODULE is a Python dotted name (`app.startup_module`) or a path relative to the scanned folder
 * (`app/startup_module.py`, `src/server.ts`); FUNCTION a function or `Class.method` defined there.
 */
export function findStartupEntry(modules: ModuleTable, spec: string): StartupEntry {
  const separator = spec.lastIndexOf(':')
  const moduleName = spec.slice(0, separator)
  const functionPath = spec.slice(separator + 1)
  const module =
    modules.get(moduleName) ??
    modules.get(moduleName.replace(/^\.\//, '')) ??
    [...modules.values()].find((candidate) => candidate.name === moduleName)
  if (!module)
    throw new StartupEntryError(`--startup ${spec}: no module '${moduleName}' in the scanned folder`)
  const resolved = resolvePath(modules, module, module.topLevel, functionPath.split('.'))
  if (resolved?.kind !== 'def' || resolved.def.kind !== 'function')
    throw new StartupEntryError(
      `--startup ${spec}: '${functionPath}' is not a function defined in ${module.file}`
    )
  return { spec, module: resolved.module, unit: resolved.def.unit, line: resolved.def.line }
}
