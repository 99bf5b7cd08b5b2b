import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { ScanReport } from '../../shared/scanReport'
import { analyze, type Analysis } from './analyze'
import { callMatcher, DEFAULT_PYTHON_CALLS, DEFAULT_TYPESCRIPT_CALLS } from './callMatcher'
import { DEFAULT_ENTRY_GLOBS, globMatcher } from './glob'
import type { ModuleRecord, ScanLanguage, SkippedFile } from './model'
import { createPythonParser } from './python/pythonParser'
import { pythonModules } from './python/pythonModules'
import type { ModuleTable } from './resolve'
import { readSourceFiles, type SourceFile } from './sourceFiles'
import { findStartupEntry } from './startupEntries'
import { typescriptModules } from './typescript/typescriptModules'

export interface ScanOptions {
  root: string
  language: 'python' | 'typescript' | 'auto'
  /** Entry globs; empty means the defaults (test files). */
  entries: readonly string[]
  /** Call names; empty means the defaults for the languages scanned. */
  calls: readonly string[]
  startup: readonly string[]
}

export interface ScanOutcome {
  report: ScanReport
  modules: ModuleTable
  analysis: Analysis
}

/** A folder that cannot be scanned: named, with why. The CLI exits 2 on it. */
export class ScanInputError extends Error {}

export async function scanFolder(options: ScanOptions): Promise<ScanOutcome> {
  const root = resolve(options.root)
  const info = await stat(root).catch(() => null)
  if (!info?.isDirectory()) throw new ScanInputError(`${options.root}: not a folder`)
  const languages = new Set<ScanLanguage>(
    options.language === 'auto' ? ['python', 'typescript'] : [options.language]
  )
  const sources = await readSourceFiles(root, languages).catch((error: unknown) => {
    // An unreadable folder or file inside the tree: named, exit 2, rather than a stack trace.
    throw new ScanInputError(error instanceof Error ? error.message : String(error))
  })
  const { modules, skipped } = await parseSources(sources)
  const table: ModuleTable = new Map(modules.map((module) => [module.file, module]))
  const calls = options.calls.length > 0 ? [...options.calls] : defaultCalls(languages)
  const entryGlobs = options.entries.length > 0 ? options.entries : DEFAULT_ENTRY_GLOBS
  const entryMatchers = entryGlobs.map(globMatcher)
  const analysis = analyze(table, {
    matcher: callMatcher(calls),
    isEntry: (file) => entryMatchers.some((matches) => matches(file)),
    startup: options.startup.map((spec) => findStartupEntry(table, spec))
  })
  const report: ScanReport = {
    root: options.root,
    language: options.language,
    calls,
    filesScanned: sources.length,
    entries: analysis.entries,
    startup: [...options.startup],
    findings: analysis.findings,
    skipped: skipped.sort((a, b) => a.file.localeCompare(b.file)),
    exitCode: analysis.findings.length > 0 ? 1 : 0
  }
  return { report, modules: table, analysis }
}

function defaultCalls(languages: ReadonlySet<ScanLanguage>): string[] {
  return [
    ...(languages.has('python') ? DEFAULT_PYTHON_CALLS : []),
    ...(languages.has('typescript') ? DEFAULT_TYPESCRIPT_CALLS : [])
  ]
}

async function parseSources(
  sources: readonly SourceFile[]
): Promise<{ modules: ModuleRecord[]; skipped: SkippedFile[] }> {
  const python = sources.filter((source) => source.language === 'python')
  const typescript = sources.filter((source) => source.language === 'typescript')
  const modules: ModuleRecord[] = []
  const skipped: SkippedFile[] = []
  if (python.length > 0) {
    const parser = await createPythonParser()
    try {
      const result = pythonModules(parser, python)
      modules.push(...result.modules)
      skipped.push(...result.skipped)
    } finally {
      parser.delete()
    }
  }
  if (typescript.length > 0) {
    const result = typescriptModules(typescript)
    modules.push(...result.modules)
    skipped.push(...result.skipped)
  }
  return { modules, skipped }
}
