/**
 * A path glob as a predicate on paths relative to the scanned folder: `*` and `?` stay within a folder, `**`
 * crosses folders. A glob without a slash matches a file's name wherever it is (`test_*.py`).
 */
export function globMatcher(glob: string): (file: string) => boolean {
  const pattern = new RegExp(`^${globSource(glob)}$`)
  if (glob.includes('/')) return (file) => pattern.test(file)
  return (file) => pattern.test(file.slice(file.lastIndexOf('/') + 1))
}

function globSource(glob: string): string {
  let source = ''
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index]!
    if (char === '*' && glob[index + 1] === '*') {
      const slash = glob[index + 2] === '/'
      source += slash ? '(?:.*/)?' : '.*'
      index += slash ? 2 : 1
    } else if (char === '*') source += '[^/]*'
    else if (char === '?') source += '[^/]'
    else source += char.replace(/[\\^$.|+()[\]{}]/g, '\\$&')
  }
  return source
}

/** Entry points when no `--entry` is given: test files, as pytest and the usual TypeScript runners name them. */
export const DEFAULT_ENTRY_GLOBS = [
  'test_*.py',
  '*_test.py',
  '*.test.ts',
  '*.spec.ts',
  '*.test.tsx',
  '*.spec.tsx',
  '*.test.js',
  '*.spec.js'
] as const
