/**
 * The language-neutral model a scan analyses: each source file becomes a ModuleRecord whose code is split into
 * execution units (the module body, and one unit per function), each listing the calls and imports it makes when it
 * runs. The Python and TypeScript front ends build these; everything after (what runs at import time, findings,
 * chains) is shared.
 */

export type ScanLanguage = 'python' | 'typescript'

/** A call as written: `a.b.f(...)` is the path ['a', 'b', 'f']; a path through a call or subscript is not resolvable. */
export interface CallSite {
  path: string[]
  resolvable: boolean
  line: number
  column: number
  /** `new C()` in TypeScript; Python calls classes like functions. */
  construct: boolean
  /** `name = f(...)` on its own line: the name the result is bound to, so `name.method()` can be followed. */
  assignedTo?: string
}

/** An import that runs when its unit runs: the in-tree files it loads, in the order the language loads them. */
export interface ImportSite {
  line: number
  files: string[]
}

export interface ExecUnit {
  calls: CallSite[]
  imports: ImportSite[]
  /** Names bound by imports inside this unit (a function's local imports); looked up before the module's. */
  bindings: Map<string, Binding>
}

export type Binding =
  | { kind: 'def'; defId: string }
  | { kind: 'module'; file: string }
  /** `name` as exported by `file`; file is null when the module is outside the scanned tree. */
  | { kind: 'member'; file: string | null; name: string }
  /** `name = C(...)`: what calling `path` returned; an instance when the path resolves to a class in the tree. */
  | { kind: 'result'; path: string[] }
  /** A method's `self`: an instance of the class that defines it. */
  | { kind: 'self'; classId: string }

export interface FunctionDef {
  kind: 'function'
  id: string
  name: string
  line: number
  unit: ExecUnit
  /** False for async functions and generators: calling one makes a coroutine or generator, its body does not run. */
  bodyRunsOnCall: boolean
}

export interface ClassDef {
  kind: 'class'
  id: string
  name: string
  line: number
  /** Base classes as written, resolved like call paths. */
  bases: string[][]
  /** Methods and nested classes by name, as def ids. */
  members: Map<string, string>
  /** The class itself holds connections (see docs/scan.md, "the class rule"); bases are checked by the analysis. */
  holdsConnections: boolean
  /** The unit a construction runs besides __init__/constructor: TypeScript's instance field initialisers. */
  constructionUnit: ExecUnit | null
}

export type Definition = FunctionDef | ClassDef

export interface ModuleRecord {
  /** Path relative to the scanned folder, with forward slashes: the module's identity everywhere. */
  file: string
  language: ScanLanguage
  /** Python's dotted name, or the path for TypeScript. */
  name: string
  topLevel: ExecUnit
  defs: Map<string, Definition>
  /** Submodules by attribute name (Python packages), so `pkg.sub.f()` resolves. */
  submodules: Map<string, string>
  /** Modules whose names this one re-exports wholesale (`from m import *`, `export * from`). */
  starSources: string[]
  /** The source, for the code of a finding (split into lines only when one is reported). */
  text: string
}

/** A file that could not be parsed: named with the first line that does not parse, and skipped. */
export interface SkippedFile {
  file: string
  line: number
  column: number
  message: string
}

/** Line `line` (1-based) of a source text. */
export function sourceLine(text: string, line: number): string {
  let start = 0
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', start)
    if (next < 0) return ''
    start = next + 1
  }
  const end = text.indexOf('\n', start)
  return text.slice(start, end < 0 ? undefined : end)
}

export function emptyUnit(): ExecUnit {
  return { calls: [], imports: [], bindings: new Map() }
}
