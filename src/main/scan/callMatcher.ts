/**
 * Which calls a scan reports. By default, those that fetch or create a per-user resource without a request
 * context, as in the post-mortems; `--call NAME` replaces the list.
 */
export const DEFAULT_PYTHON_CALLS = [
  'get_websocket_manager',
  'get_unified_manager',
  'create_websocket_manager',
  'get_emitter_pool'
] as const

/** The same functions as TypeScript and JavaScript name them. */
export const DEFAULT_TYPESCRIPT_CALLS = [
  'getWebSocketManager',
  'getUnifiedManager',
  'createWebSocketManager',
  'getEmitterPool'
] as const

export type CallMatcher = (name: string, path: readonly string[]) => boolean

/**
 * A plain NAME matches a call whose function is called NAME however it is reached (`f()`, `m.f()`, `g()` after
 * `from m import f as g`); a dotted NAME matches calls written with that dotted suffix.
 */
export function callMatcher(names: readonly string[]): CallMatcher {
  const plain = new Set(names.filter((name) => !name.includes('.')))
  const dotted = names.filter((name) => name.includes('.'))
  return (name, path) => {
    if (plain.has(name)) return true
    if (dotted.length === 0) return false
    const written = path.join('.')
    return dotted.some((suffix) => written === suffix || written.endsWith(`.${suffix}`))
  }
}
