import type { ToolExtra } from './toolCall'

/** The least time between two progress notifications of one call: a 20,000-user load ends runs by the thousand. */
export const PROGRESS_INTERVAL_MS = 200

/** `total` when it is known; progress reaching it is always sent. */
export type ProgressReport = (progress: number, total: number | undefined, message: string) => void

/**
 * Progress for one tool call, sent only when the client asked for it (a progressToken in the request's _meta).
 * Notifications go out at most every PROGRESS_INTERVAL_MS, always when progress reaches the total, and only when
 * progress grew (the protocol requires it to increase).
 */
export function progressFor(extra: ToolExtra): ProgressReport {
  const progressToken = extra._meta?.progressToken
  if (progressToken === undefined) return () => {}
  let lastSent = -Infinity
  let lastProgress = -Infinity
  return (progress, total, message) => {
    const now = performance.now()
    const done = total !== undefined && progress >= total
    if (progress <= lastProgress || (!done && now - lastSent < PROGRESS_INTERVAL_MS)) return
    lastSent = now
    lastProgress = progress
    const params = { progressToken, progress, message, ...(total !== undefined ? { total } : {}) }
    // A client that went away cannot be told; the call itself still ends and answers (or is dropped).
    extra.sendNotification({ method: 'notifications/progress', params }).catch(() => {})
  }
}
