import { posix } from 'node:path'
import ts from 'typescript'
import type { ModuleRecord, SkippedFile } from '../model'
import type { SourceFile } from '../sourceFiles'
import { walkTypescript } from './typescriptWalker'

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']

/** Parses each TypeScript or JavaScript file with the compiler's parser (no type checking) and links its imports. */
export function typescriptModules(sources: readonly SourceFile[]): {
  modules: ModuleRecord[]
  skipped: SkippedFile[]
} {
  const files = new Set(sources.map((source) => source.file))
  const modules: ModuleRecord[] = []
  const skipped: SkippedFile[] = []
  for (const { file, text } of sources) {
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file))
    const error = firstParseError(source)
    if (error) {
      skipped.push({ file, ...error })
      continue
    }
    const walked = walkTypescript(source, (specifier) => resolveSpecifier(file, specifier, files))
    modules.push({
      file,
      language: 'typescript',
      name: file,
      topLevel: walked.topLevel,
      defs: walked.defs,
      submodules: new Map(),
      starSources: walked.starSources,
      text
    })
  }
  return { modules, skipped }
}

function scriptKindOf(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX
  if (/\.(js|mjs|cjs)$/.test(file)) return ts.ScriptKind.JS
  return ts.ScriptKind.TS
}

/**
 * The parser's own syntax diagnostics. They are not in the compiler's public typings, so they are read through a
 * narrow shape; without them a file counts as parsed.
 */
function firstParseError(source: ts.SourceFile): Omit<SkippedFile, 'file'> | null {
  const diagnostics =
    (source as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? []
  const first = diagnostics[0]
  if (!first) return null
  const where = source.getLineAndCharacterOfPosition(first.start ?? 0)
  return {
    line: where.line + 1,
    column: where.character + 1,
    message: `syntax error: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`
  }
}

/** Relative specifiers only: './x' as x.ts, x.tsx, ..., x/index.ts; './x.js' also as x.ts (NodeNext style). */
function resolveSpecifier(importer: string, specifier: string, files: ReadonlySet<string>): string | null {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return null
  const base = posix.normalize(posix.join(posix.dirname(importer), specifier))
  const candidates = [base]
  const withoutJs = base.replace(/\.(m|c)?jsx?$/, '')
  if (withoutJs !== base) candidates.push(...EXTENSIONS.map((extension) => withoutJs + extension))
  candidates.push(...EXTENSIONS.map((extension) => base + extension))
  candidates.push(...EXTENSIONS.map((extension) => `${base}/index${extension}`))
  return candidates.find((candidate) => files.has(candidate)) ?? null
}
