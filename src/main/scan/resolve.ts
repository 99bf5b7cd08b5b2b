import type { Binding, ClassDef, Definition, ExecUnit, ModuleRecord } from './model'

/** What a name or dotted path refers to, as far as the scanned tree knows. */
export type Resolved =
  | { kind: 'def'; module: ModuleRecord; def: Definition }
  | { kind: 'module'; module: ModuleRecord }
  /** An object of a class in the tree: `x` after `x = C()`, or a method's `self`. */
  | { kind: 'instance'; module: ModuleRecord; cls: ClassDef }
  /** Something outside the tree, known only by the name it was imported under. */
  | { kind: 'external'; name: string }

export type ModuleTable = ReadonlyMap<string, ModuleRecord>

/** How deep re-exports are followed (`from a import f` where a itself imported f from b, and so on). */
const MAX_REEXPORT_DEPTH = 16

/** Resolves `a.b.f` as written in `unit` of `module`: the unit's own names first, then the module's. */
export function resolvePath(
  modules: ModuleTable,
  module: ModuleRecord,
  unit: ExecUnit,
  path: readonly string[]
): Resolved | null {
  const [head, ...rest] = path
  if (head === undefined) return null
  let current = lookupName(modules, module, unit, head, 0)
  for (const segment of rest) {
    if (!current) return null
    current = memberOf(modules, current, segment, 0)
  }
  return current
}

function lookupName(
  modules: ModuleTable,
  module: ModuleRecord,
  unit: ExecUnit,
  name: string,
  depth: number
): Resolved | null {
  const binding = unit.bindings.get(name) ?? module.topLevel.bindings.get(name)
  if (binding) return fromBinding(modules, module, unit, binding, depth)
  for (const source of module.starSources) {
    const starModule = modules.get(source)
    if (starModule && starModule !== module && depth < MAX_REEXPORT_DEPTH) {
      const found = exported(modules, starModule, name, depth + 1)
      if (found) return found
    }
  }
  return null
}

function fromBinding(
  modules: ModuleTable,
  module: ModuleRecord,
  unit: ExecUnit,
  binding: Binding,
  depth: number
): Resolved | null {
  if (binding.kind === 'def') {
    const def = module.defs.get(binding.defId)
    return def ? { kind: 'def', module, def } : null
  }
  if (binding.kind === 'self') {
    const cls = module.defs.get(binding.classId)
    return cls?.kind === 'class' ? { kind: 'instance', module, cls } : null
  }
  if (binding.kind === 'result') {
    if (depth >= MAX_REEXPORT_DEPTH) return null
    const [head, ...rest] = binding.path
    let made = head === undefined ? null : lookupName(modules, module, unit, head, depth + 1)
    for (const segment of rest) made = made ? memberOf(modules, made, segment, depth + 1) : null
    return made?.kind === 'def' && made.def.kind === 'class'
      ? { kind: 'instance', module: made.module, cls: made.def }
      : null
  }
  const target = binding.file === null ? undefined : modules.get(binding.file)
  if (binding.kind === 'module') return target ? { kind: 'module', module: target } : null
  if (!target || depth >= MAX_REEXPORT_DEPTH) return { kind: 'external', name: binding.name }
  return exported(modules, target, binding.name, depth + 1) ?? { kind: 'external', name: binding.name }
}

/** A module's attribute: a name its body binds (a def or an import) or, for a package, a submodule. */
function exported(modules: ModuleTable, module: ModuleRecord, name: string, depth: number): Resolved | null {
  const found = lookupName(modules, module, module.topLevel, name, depth)
  if (found) return found
  const submodule = module.submodules.get(name)
  const target = submodule ? modules.get(submodule) : undefined
  return target ? { kind: 'module', module: target } : null
}

function memberOf(modules: ModuleTable, owner: Resolved, name: string, depth: number): Resolved | null {
  if (owner.kind === 'module') return exported(modules, owner.module, name, depth)
  if (owner.kind === 'def' && owner.def.kind === 'class') {
    const memberId = owner.def.members.get(name)
    const def = memberId ? owner.module.defs.get(memberId) : undefined
    return def ? { kind: 'def', module: owner.module, def } : null
  }
  if (owner.kind === 'instance') {
    // A method is looked up along the class and its in-tree bases, nearest first.
    for (const { module, cls } of classLineage(modules, owner.module, owner.cls)) {
      const memberId = cls.members.get(name)
      const def = memberId ? module.defs.get(memberId) : undefined
      if (def) return { kind: 'def', module, def }
    }
  }
  return null
}

/** A class's in-tree bases, nearest first, each once (method resolution as a breadth-first walk). */
export function classLineage(
  modules: ModuleTable,
  module: ModuleRecord,
  cls: ClassDef
): Array<{ module: ModuleRecord; cls: ClassDef }> {
  const lineage: Array<{ module: ModuleRecord; cls: ClassDef }> = [{ module, cls }]
  for (let index = 0; index < lineage.length && lineage.length < 64; index++) {
    const { module: current, cls: currentClass } = lineage[index]!
    for (const base of currentClass.bases) {
      const resolved = resolvePath(modules, current, current.topLevel, base)
      if (
        resolved?.kind === 'def' &&
        resolved.def.kind === 'class' &&
        !lineage.some((entry) => entry.cls === resolved.def)
      )
        lineage.push({ module: resolved.module, cls: resolved.def })
    }
  }
  return lineage
}
