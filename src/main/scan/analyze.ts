import type { ScanChain, ScanFinding } from '../../shared/scanReport'
import type { CallMatcher } from './callMatcher'
import { callSteps, ImportPaths, sortChains } from './chains'
import { execute, type Frame, type Hit, type ImportEdge } from './execution'
import { sourceLine, type ModuleRecord } from './model'
import type { ModuleTable } from './resolve'
import type { StartupEntry } from './startupEntries'

export interface AnalysisOptions {
  matcher: CallMatcher
  isEntry: (file: string) => boolean
  startup: readonly StartupEntry[]
}

export interface Analysis {
  findings: ScanFinding[]
  entries: string[]
  /** Import-time edges between scanned files: what the module graph of a scenario is drawn from. */
  imports: ImportEdge[]
}

interface Reach {
  root: { kind: 'module'; file: string } | { kind: 'startup'; entry: StartupEntry }
  frames: Frame[]
}

/**
 * Every module's import-time code is run (statically); every declared start-up function is too. Each hit becomes a
 * finding, with a chain from each entry file that imports its module and from each start-up entry that reaches it.
 */
export function analyze(modules: ModuleTable, options: AnalysisOptions): Analysis {
  const found = new Map<string, { hit: Hit; phase: 'import' | 'startup'; reaches: Reach[] }>()
  const record = (hit: Hit, reach: Reach, phase: 'import' | 'startup') => {
    const key = `${hit.file}:${hit.line}:${hit.column}:${hit.kind}`
    const existing = found.get(key)
    if (!existing) found.set(key, { hit, phase, reaches: [reach] })
    else {
      existing.reaches.push(reach)
      if (phase === 'import') existing.phase = 'import'
    }
  }
  const imports: ImportEdge[] = []
  for (const module of modules.values()) {
    const run = execute(modules, module, module.topLevel, {
      matcher: options.matcher,
      followLazyBodies: false
    })
    imports.push(...run.imports)
    for (const hit of run.hits)
      record(hit, { root: { kind: 'module', file: module.file }, frames: hit.frames }, 'import')
  }
  for (const entry of options.startup) {
    const run = execute(modules, entry.module, entry.unit, {
      matcher: options.matcher,
      followLazyBodies: true
    })
    for (const hit of run.hits)
      record(hit, { root: { kind: 'startup', entry }, frames: hit.frames }, 'startup')
  }

  const entries = [...modules.keys()].filter(options.isEntry).sort()
  const paths = new ImportPaths(imports)
  const findings: ScanFinding[] = []
  for (const { hit, phase, reaches } of found.values()) {
    const module = modules.get(hit.file) as ModuleRecord
    findings.push({
      file: hit.file,
      line: hit.line,
      column: hit.column,
      code: sourceLine(module.text, hit.line).trim(),
      call: hit.call,
      kind: hit.kind,
      phase,
      language: module.language,
      chains: chainsOf(hit, reaches, entries, paths)
    })
  }
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column)
  return { findings, entries, imports }
}

/** Per entry file, its shortest chain over every way the finding is reached; then each start-up chain. */
function chainsOf(
  hit: Hit,
  reaches: readonly Reach[],
  entries: readonly string[],
  paths: ImportPaths
): ScanChain[] {
  const byEntry = new Map<string, ScanChain>()
  for (const reach of reaches) {
    const tail = callSteps(reach.frames, hit.file, hit.line)
    if (reach.root.kind === 'startup') {
      const { entry } = reach.root
      const steps: ScanChain['steps'] = [
        { kind: 'startup', file: entry.module.file, line: entry.line, name: entry.spec },
        ...tail
      ]
      const chain = { entry: entry.spec, steps }
      const known = byEntry.get(entry.spec)
      if (!known || known.steps.length > steps.length) byEntry.set(entry.spec, chain)
      continue
    }
    for (const entry of entries) {
      const head = paths.path(entry, reach.root.file)
      if (!head) continue
      const steps = [...head, ...tail]
      const known = byEntry.get(entry)
      if (!known || known.steps.length > steps.length) byEntry.set(entry, { entry, steps })
    }
  }
  return sortChains([...byEntry.values()])
}
