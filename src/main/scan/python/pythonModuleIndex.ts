import { posix } from 'node:path'

/**
 * Python's view of the scanned folder as sys.path would give it: the folder itself is a root (a `src/` folder is
 * one too), so `a/b/c.py` is module `a.b.c` and `a/b/__init__.py` is package `a.b`.
 */
export interface PythonModuleIndex {
  byName: Map<string, string>
  nameOf: Map<string, string>
  /** Folders that hold an __init__.py (regular packages). */
  packageDirs: Set<string>
  /** Each package's direct submodules by attribute name, so `pkg.sub` resolves. */
  childrenOf: Map<string, Map<string, string>>
}

export function pythonModuleIndex(files: readonly string[]): PythonModuleIndex {
  const byName = new Map<string, string>()
  const nameOf = new Map<string, string>()
  const packageDirs = new Set<string>()
  for (const file of files) if (posix.basename(file) === '__init__.py') packageDirs.add(posix.dirname(file))
  for (const file of files) {
    const name = dottedName(file)
    nameOf.set(file, name)
    if (!byName.has(name)) byName.set(name, file)
    if (file.startsWith('src/')) {
      const underSrc = dottedName(file.slice('src/'.length))
      if (!byName.has(underSrc)) byName.set(underSrc, file)
    }
  }
  const childrenOf = new Map<string, Map<string, string>>()
  for (const [name, file] of byName) {
    const dot = name.lastIndexOf('.')
    if (dot < 0) continue
    const parent = name.slice(0, dot)
    const children = childrenOf.get(parent) ?? new Map<string, string>()
    if (!children.has(name.slice(dot + 1))) children.set(name.slice(dot + 1), file)
    childrenOf.set(parent, children)
  }
  return { byName, nameOf, packageDirs, childrenOf }
}

function dottedName(file: string): string {
  const withoutExtension = file.replace(/\.py$/, '')
  const parts = withoutExtension.split('/')
  if (parts[parts.length - 1] === '__init__') parts.pop()
  return parts.join('.')
}

export function isPackageFile(file: string): boolean {
  return posix.basename(file) === '__init__.py'
}

/**
 * pytest's default ("prepend") import mode puts a test file's first folder upwards without an __init__.py on
 * sys.path, so `import helpers` from tests/test_x.py finds tests/helpers.py. Its module-name prefix, or '' at the root.
 */
export function rootdirPrefixOf(file: string, index: PythonModuleIndex): string {
  let dir = posix.dirname(file)
  while (dir !== '.' && index.packageDirs.has(dir)) dir = posix.dirname(dir)
  return dir === '.' ? '' : `${dir.split('/').join('.')}.`
}
