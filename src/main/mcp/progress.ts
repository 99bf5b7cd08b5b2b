import type { ToolExtra } from './toolCall'

/** The least time between two progress notifications of one call: a 20,000-user load ends runs by the thousand. */
export const PROGRESS_INTERVAL_MS = 200
/** How long the answer waits after the last notification, so that the two never reach the client together. */
export const PROGRESS_QUIET_MS = 50

export interface Progress {
  /** Progress so far; `total` when it is known. */
  report(progress: number, total: number | undefined, message: string): void
  /** Resolves once the last notification is PROGRESS_QUIET_MS old (at once when none was sent lately). */
  settled(): Promise<void>
}

/**
 * Progress for one tool call, sent only when the client asked for it (a progressToken in the request's _meta), at
 * most every PROGRESS_INTERVAL_MS, only when it grew (the protocol wants it to increase), and never for the end:
 * the answer says that. The SDK's client takes a notification that arrives in the same read as the answer for one
 * of an unknown call and reports a protocol error (modelcontextprotocol/typescript-sdk#2580), so the answer waits
 * until the last notification is a little old (settled).
 */
export function progressFor(extra: ToolExtra): Progress {
  const progressToken = extra._meta?.progressToken
  let lastSent = -Infinity
  let lastProgress = -Infinity
  return {
    report(progress, total, message) {
      // After a cancellation the client has forgotten the token, and would take a notification for a protocol error.
      if (progressToken === undefined || extra.signal.aborted) return
      const now = performance.now()
      const finished = total !== undefined && progress >= total
      if (finished || progress <= lastProgress || now - lastSent < PROGRESS_INTERVAL_MS) return
      lastSent = now
      lastProgress = progress
      const params = { progressToken, progress, message, ...(total !== undefined ? { total } : {}) }
      // A client that went away cannot be told; the call itself still ends and answers (or is dropped).
      extra.sendNotification({ method: 'notifications/progress', params }).catch(() => {})
    },
    settled() {
      const wait = lastSent + PROGRESS_QUIET_MS - performance.now()
      return wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve()
    }
  }
}
