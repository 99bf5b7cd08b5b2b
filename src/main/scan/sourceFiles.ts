import { readdir, readFile } from 'node:fs/promises'
import { join, posix } from 'node:path'
import type { ScanLanguage } from './model'

/** Folders never scanned: dependencies, virtual environments, caches, and hidden folders (.git, .venv, ...). */
const SKIPPED_FOLDERS = new Set([
  'node_modules',
  '__pycache__',
  'venv',
  'site-packages',
  'dist',
  'build',
  'out'
])
const PYTHON = /\.py$/
const TYPESCRIPT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/
const DECLARATION = /\.d\.(ts|mts|cts)$/

export interface SourceFile {
  /** Relative to the scanned folder, with forward slashes. */
  file: string
  language: ScanLanguage
  text: string
}

export function languageOf(file: string): ScanLanguage | null {
  if (PYTHON.test(file)) return 'python'
  if (TYPESCRIPT.test(file) && !DECLARATION.test(file)) return 'typescript'
  return null
}

/** Every source file under `root` in the languages asked for, sorted by path. */
export async function readSourceFiles(
  root: string,
  languages: ReadonlySet<ScanLanguage>
): Promise<SourceFile[]> {
  const files: Array<{ file: string; language: ScanLanguage }> = []
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(join(root, relative), { withFileTypes: true })
    for (const entry of entries) {
      const path = relative ? posix.join(relative, entry.name) : entry.name
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !SKIPPED_FOLDERS.has(entry.name)) await walk(path)
      } else if (entry.isFile()) {
        const language = languageOf(entry.name)
        if (language && languages.has(language)) files.push({ file: path, language })
      }
    }
  }
  await walk('')
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  return Promise.all(
    files.map(async (entry) => ({ ...entry, text: await readFile(join(root, entry.file), 'utf8') }))
  )
}
