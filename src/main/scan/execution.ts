import type { CallMatcher } from './callMatcher'
import type { ExecUnit, ModuleRecord } from './model'
import { classLineage, resolvePath, type ModuleTable } from './resolve'

/** A call that led into the function where a hit is: the caller's file and line, and the callee's name. */
export interface Frame {
  file: string
  line: number
  name: string
}

export interface Hit {
  file: string
  line: number
  column: number
  /** The function called, or the class instantiated. */
  call: string
  kind: 'call' | 'instance'
  frames: Frame[]
}

export interface ImportEdge {
  /** The file that imports. */
  from: string
  to: string
  /** Where in `from` the import happens (or the call that led to it). */
  line: number
}

export interface Execution {
  hits: Hit[]
  imports: ImportEdge[]
}

export interface ExecutionOptions {
  matcher: CallMatcher
  /** Start-up code awaits what it calls, so async functions and generators run there; calling one on import runs nothing. */
  followLazyBodies: boolean
}

/**
 * Runs a unit as the language would, without running anything: its calls, and the bodies of the functions and
 * constructors it calls in the tree, breadth first so each hit is reached by its shortest call path. A target call
 * is a hit and is not followed.
 */
export function execute(
  modules: ModuleTable,
  module: ModuleRecord,
  unit: ExecUnit,
  options: ExecutionOptions
): Execution {
  const hits: Hit[] = []
  const imports: ImportEdge[] = []
  const seen = new Set<ExecUnit>([unit])
  const queue: Array<{ module: ModuleRecord; unit: ExecUnit; frames: Frame[] }> = [
    { module, unit, frames: [] }
  ]
  const enqueue = (next: { module: ModuleRecord; unit: ExecUnit; frames: Frame[] }) => {
    if (seen.has(next.unit)) return
    seen.add(next.unit)
    queue.push(next)
  }
  for (let index = 0; index < queue.length; index++) {
    const current = queue[index]!
    const rootLine = (line: number) => current.frames[0]?.line ?? line
    for (const site of current.unit.imports)
      for (const to of site.files) imports.push({ from: module.file, to, line: rootLine(site.line) })
    for (const call of current.unit.calls) {
      const resolved = call.resolvable ? resolvePath(modules, current.module, current.unit, call.path) : null
      const written = call.path[call.path.length - 1] ?? ''
      const name =
        resolved?.kind === 'external'
          ? call.path.length === 1
            ? (resolved.name.split('.').pop() ?? written)
            : written
          : resolved?.kind === 'def'
            ? resolved.def.name
            : written
      const at = { file: current.module.file, line: call.line, column: call.column, frames: current.frames }
      if (options.matcher(name, call.path)) {
        hits.push({ ...at, call: name, kind: 'call' })
        continue
      }
      if (resolved?.kind !== 'def') continue
      const frames = [
        ...current.frames,
        { file: current.module.file, line: call.line, name: resolved.def.name }
      ]
      if (resolved.def.kind === 'function') {
        if (resolved.def.bodyRunsOnCall || options.followLazyBodies)
          enqueue({ module: resolved.module, unit: resolved.def.unit, frames })
        continue
      }
      const lineage = classLineage(modules, resolved.module, resolved.def)
      if (lineage.some(({ cls }) => cls.holdsConnections))
        hits.push({ ...at, call: resolved.def.name, kind: 'instance' })
      for (const { module: owner, cls } of lineage) {
        if (cls.constructionUnit) enqueue({ module: owner, unit: cls.constructionUnit, frames })
        const init = cls.members.get('__init__') ?? cls.members.get('constructor')
        const initDef = init ? owner.defs.get(init) : undefined
        if (initDef?.kind === 'function') {
          enqueue({ module: owner, unit: initDef.unit, frames })
          break
        }
      }
    }
  }
  return { hits, imports }
}
