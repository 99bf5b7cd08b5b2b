/**
 * Each file's shortest path suffix that no other scanned file shares: `agent_service.py` when it is the only one,
 * `websocket_core/__init__.py` among many __init__.py files. Chains read like the post-mortems' that way.
 */
export function shortNames(files: readonly string[]): (file: string) => string {
  const bySuffix = new Map<string, number>()
  const suffixes = (file: string): string[] => {
    const parts = file.split('/')
    return parts.map((_, index) => parts.slice(parts.length - 1 - index).join('/'))
  }
  for (const file of files)
    for (const suffix of suffixes(file)) bySuffix.set(suffix, (bySuffix.get(suffix) ?? 0) + 1)
  return (file) => suffixes(file).find((suffix) => bySuffix.get(suffix) === 1) ?? file
}
