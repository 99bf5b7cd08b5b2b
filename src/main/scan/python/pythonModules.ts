import type { Parser } from 'web-tree-sitter'
import {
  emptyUnit,
  type Binding,
  type Definition,
  type ExecUnit,
  type ModuleRecord,
  type SkippedFile
} from '../model'
import { MODULE_UNIT } from '../units'
import {
  isPackageFile,
  pythonModuleIndex,
  rootdirPrefixOf,
  type PythonModuleIndex
} from './pythonModuleIndex'
import { firstSyntaxError, pythonSyntax, type PyImportStatement, type PySyntax } from './pythonSyntax'

export interface SourceText {
  file: string
  text: string
}

/**
 * Parses every Python file and links it into a module as soon as it is parsed: imports resolved to files, names
 * bound as Python binds them. The module index comes from the file list, so nothing waits for the other files
 * (a file that does not parse is still a module other files can import; it just has no record).
 */
export function pythonModules(
  parser: Parser,
  sources: readonly SourceText[]
): { modules: ModuleRecord[]; skipped: SkippedFile[] } {
  const index = pythonModuleIndex(sources.map((source) => source.file))
  const modules: ModuleRecord[] = []
  const skipped: SkippedFile[] = []
  for (const source of sources) {
    const tree = parser.parse(source.text)
    if (!tree) {
      skipped.push({ file: source.file, line: 1, column: 1, message: 'could not be parsed' })
      continue
    }
    try {
      const error = firstSyntaxError(tree)
      if (error) skipped.push({ file: source.file, ...error })
      else modules.push(linkModule(source, pythonSyntax(tree, source.text), index))
    } finally {
      tree.delete()
    }
  }
  return { modules, skipped }
}

function linkModule(source: SourceText, syntax: PySyntax, index: PythonModuleIndex): ModuleRecord {
  const file = source.file
  const name = index.nameOf.get(file) ?? file
  const units = new Map<string, ExecUnit>([[MODULE_UNIT, emptyUnit()]])
  const unitOf = (id: string): ExecUnit => {
    let unit = units.get(id)
    if (!unit) units.set(id, (unit = emptyUnit()))
    return unit
  }
  for (const [id, calls] of syntax.calls) unitOf(id).calls.push(...calls)
  const classIds = new Set(syntax.classes.map((cls) => cls.id))
  for (const fn of syntax.functions) {
    const owner = fn.id.includes('.') ? fn.id.slice(0, fn.id.lastIndexOf('.')) : ''
    if (classIds.has(owner)) unitOf(fn.id).bindings.set('self', { kind: 'self', classId: owner })
  }

  const defs = new Map<string, Definition>()
  for (const fn of syntax.functions) {
    defs.set(fn.id, { kind: 'function', ...fn, unit: unitOf(fn.id) })
    // A def binds its name in the scope that runs it: the module body or the enclosing function.
    if (!isClassMember(fn.id, fn.owner, syntax))
      unitOf(fn.owner).bindings.set(fn.name, { kind: 'def', defId: fn.id })
  }
  for (const cls of syntax.classes) {
    defs.set(cls.id, { kind: 'class', ...cls, constructionUnit: null })
    if (!isClassMember(cls.id, cls.owner, syntax))
      unitOf(cls.owner).bindings.set(cls.name, { kind: 'def', defId: cls.id })
  }

  // `x = C(...)` binds x to C's instance for `x.method()`, unless the name is bound otherwise.
  for (const [id, unit] of units)
    for (const call of unit.calls)
      if (call.assignedTo && call.resolvable && !unit.bindings.has(call.assignedTo))
        unitOf(id).bindings.set(call.assignedTo, { kind: 'result', path: call.path })
  const starSources: string[] = []
  for (const statement of syntax.imports) {
    const unit = unitOf(statement.unit)
    const linked = linkImport(statement, file, index)
    unit.imports.push({ line: statement.line, files: linked.files })
    for (const [bound, binding] of linked.bindings) unit.bindings.set(bound, binding)
    if (statement.unit === MODULE_UNIT) starSources.push(...linked.starSources)
  }

  const submodules =
    (isPackageFile(file) ? index.childrenOf.get(name) : undefined) ?? new Map<string, string>()

  return {
    file,
    language: 'python',
    name,
    topLevel: unitOf(MODULE_UNIT),
    defs,
    submodules,
    starSources,
    text: source.text
  }
}

/** A method or nested class is an attribute of its class, not a name in the enclosing scope. */
function isClassMember(id: string, owner: string, syntax: PySyntax): boolean {
  const parent = id.includes('.') ? id.slice(0, id.lastIndexOf('.')) : MODULE_UNIT
  return parent !== owner && syntax.classes.some((cls) => cls.id === parent)
}

interface LinkedImport {
  files: string[]
  bindings: Map<string, Binding>
  starSources: string[]
}

/** The files an import runs (each package on the way, then the module) and the names it binds. */
function linkImport(statement: PyImportStatement, importer: string, index: PythonModuleIndex): LinkedImport {
  const files: string[] = []
  const bindings = new Map<string, Binding>()
  const starSources: string[] = []
  const run = (dotted: string): string | null => {
    const resolved = resolveAbsolute(dotted, importer, index)
    if (!resolved) return null
    const parts = resolved.split('.')
    for (let length = 1; length <= parts.length; length++) {
      const target = index.byName.get(parts.slice(0, length).join('.'))
      if (target && target !== importer && !files.includes(target)) files.push(target)
    }
    return index.byName.get(resolved) ?? null
  }
  const form = statement.form
  if (form.kind === 'import') {
    for (const { dotted, alias } of form.names) {
      const target = run(dotted)
      if (alias) {
        bindings.set(
          alias,
          target ? { kind: 'module', file: target } : { kind: 'member', file: null, name: dotted }
        )
      } else {
        const head = dotted.split('.')[0] ?? dotted
        const headFile = resolveAbsolute(head, importer, index)
        const headTarget = headFile ? index.byName.get(headFile) : undefined
        bindings.set(
          head,
          headTarget ? { kind: 'module', file: headTarget } : { kind: 'member', file: null, name: head }
        )
      }
    }
    return { files, bindings, starSources }
  }
  const base = form.level > 0 ? relativeBase(importer, form.level, form.module, index) : form.module
  const moduleFile = base === null ? null : run(base)
  if (form.names === 'star') {
    if (moduleFile) starSources.push(moduleFile)
    return { files, bindings, starSources }
  }
  for (const { name, alias } of form.names) {
    const submodule = base === null ? null : run(base ? `${base}.${name}` : name)
    const bound = alias ?? name
    if (submodule && submodule !== moduleFile) bindings.set(bound, { kind: 'module', file: submodule })
    else bindings.set(bound, { kind: 'member', file: moduleFile, name })
  }
  return { files, bindings, starSources }
}

/** The dotted name an absolute import finds: from the scanned root, else from the importer's pytest rootdir. */
function resolveAbsolute(dotted: string, importer: string, index: PythonModuleIndex): string | null {
  if (index.byName.has(dotted)) return dotted
  const prefixed = `${rootdirPrefixOf(importer, index)}${dotted}`
  if (index.byName.has(prefixed)) return prefixed
  return null
}

/** `from ..m import x` in package a.b.c (or module a.b.c.d): level 1 is a.b.c, level 2 is a.b; then `.m`. */
function relativeBase(
  importer: string,
  level: number,
  module: string,
  index: PythonModuleIndex
): string | null {
  const name = index.nameOf.get(importer) ?? ''
  const packageParts = isPackageFile(importer) ? name.split('.') : name.split('.').slice(0, -1)
  if (level - 1 > packageParts.length) return null
  const baseParts = packageParts.slice(0, packageParts.length - (level - 1))
  if (module) baseParts.push(...module.split('.'))
  const base = baseParts.filter(Boolean).join('.')
  return base
}
