import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/** Writes files (path relative to the tree -> text) into a fresh temporary folder and returns its path. */
export function writeTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'si-scan-'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}

/** The 1-based lines of a source that end with a marker comment such as `# FOUND` or `// FOUND`. */
export function markedLines(source: string, marker: string): number[] {
  return source.split('\n').flatMap((line, index) => (line.trimEnd().endsWith(marker) ? [index + 1] : []))
}
