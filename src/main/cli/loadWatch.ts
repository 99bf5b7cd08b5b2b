import type { Runtime } from '../runtime/runtime'

/** What load prints beyond the counts: the warnings it saw, and every leak by owner and receiver. */
export interface LoadDetails {
  /** One entry per warning code, with how often it was raised and its first message. */
  warnings: Array<{ code: string; count: number; message: string }>
  /** One entry per (owner, receiver) pair: whose events reached whom, and how many. */
  leaks: Array<{ owner: string; receiver: string; count: number }>
}

/**
 * Listens for warnings and isolation violations while a load runs (start-up's warnings are read from the
 * history). Only these two kinds are decoded, so a clean flood costs nothing extra.
 */
export function watchLoad(runtime: Runtime): {
  stop: () => void
  warnings: () => LoadDetails['warnings']
  leaks: () => LoadDetails['leaks']
} {
  const warnings = new Map<string, { code: string; count: number; message: string }>()
  const leaks = new Map<string, { owner: string; receiver: string; count: number }>()
  const warn = (code: string, message: string): void => {
    const entry = warnings.get(code) ?? { code, count: 0, message }
    entry.count += 1
    warnings.set(code, entry)
  }
  for (const event of runtime.bus.snapshot()) if (event.kind === 'warning') warn(event.code, event.message)
  const unsubscribe = runtime.bus.subscribeKinds(['warning', 'isolation_violation'], (event) => {
    if (event.kind === 'warning') return warn(event.code, event.message)
    const key = `${event.owner_user_id}\u0000${event.receiver_user_id}`
    const entry = leaks.get(key) ?? { owner: event.owner_user_id, receiver: event.receiver_user_id, count: 0 }
    entry.count += 1
    leaks.set(key, entry)
  })
  return {
    stop: unsubscribe,
    warnings: () => [...warnings.values()],
    leaks: () => [...leaks.values()]
  }
}
