import type { AgentEventType } from '../../src/shared/agentEvents'
import type { InspectionEvent } from '../../src/shared/inspection'
import type { DeliveredEvent, Receiver } from '../../src/main/runtime/audit/isolationAuditor'
import { Runtime } from '../../src/main/runtime/runtime'
import type { RuntimeOptionsInput } from '../../src/main/runtime/runtimeOptions'
import { InProcessUserPool } from '../../src/main/runtime/users/inProcessUserPool'

export interface Received {
  event: DeliveredEvent
  receiver: Receiver
}

/**
 * A real runtime with in-process simulated users whose deliveries go to the auditor and are also kept per
 * receiver, in arrival order, for the test to inspect.
 */
export async function startHarness(options: RuntimeOptionsInput = {}) {
  const runtime = await Runtime.start({ missingGraceMs: 60_000, ...options })
  const received = new Map<string, Received[]>()
  const pool = new InProcessUserPool((receiver, event, receivedAt) => {
    const list = received.get(receiver.user_id) ?? []
    list.push({ event, receiver })
    received.set(receiver.user_id, list)
    runtime.auditor.recordDelivery(receiver, event, receivedAt)
  })
  const events = (kind: InspectionEvent['kind']) =>
    runtime.bus.snapshot().filter((event) => event.kind === kind)
  return {
    runtime,
    pool,
    received,
    events,
    typesFor: (userId: string): AgentEventType[] =>
      (received.get(userId) ?? []).map((entry) => entry.event.type),
    async connect(count: number) {
      const users = Array.from({ length: count }, () => {
        const userId = runtime.ids.userId()
        return { userId, url: runtime.userUrl(userId) }
      })
      return pool.connect(users)
    },
    /** Waits until `predicate` holds, polling; fails the test with `what` after `timeoutMs`. */
    async until(what: string, predicate: () => boolean, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    },
    async close() {
      await pool.close()
      await runtime.close()
    }
  }
}
