import { setTimeout as sleep } from 'node:timers/promises'
import type { AgentEventType } from '../../../shared/agentEvents'
import type { AnyContext } from '../context/contextService'
import type { InspectionBus } from '../inspection/inspectionBus'
import type { RunEmitter } from './agentWebSocketBridge'
import { ConstantPayload, type Payload } from './runSerializer'

function constant(payload: Record<string, unknown>): () => Payload {
  const shared = new ConstantPayload(payload)
  return () => shared
}

/** What one simulated agent does, step by step; each step's payload is what a chat UI would render. */
const AGENT_SCRIPT: ReadonlyArray<readonly [AgentEventType, (runId: string) => Payload]> = [
  ['agent_started', (runId) => ({ agent: 'supervisor', run_id: runId })],
  ['agent_thinking', constant({ thought: 'Planning which tool answers the request' })],
  ['tool_executing', constant({ tool: 'search_threads', args: { limit: 5 } })],
  ['tool_completed', constant({ tool: 'search_threads', result: { matches: 3 } })],
  ['agent_completed', constant({ answer: 'Found 3 threads.' })]
]

/**
 * Runs one agent for one user context. Without an emitter (the legacy factory with no bridge) it still does all
 * its work and completes: the user just never hears about it, which is the ADR's silent failure.
 */
export class ExecutionEngine {
  constructor(
    readonly context: AnyContext,
    private readonly emitter: RunEmitter | null,
    private readonly bus: InspectionBus,
    private readonly stepDelayMs: number
  ) {}

  async run(): Promise<{ emitted: number }> {
    this.bus.emit({ kind: 'run_started', context: this.context.toIds() })
    let emitted = 0
    for (const [type, payload] of AGENT_SCRIPT) {
      // A real agent's steps are spread over seconds; with no pause there is nothing between them, so they go out
      // in the same turn, as a batch of frames does from any server (and as the bare-ws baseline sends them).
      // Yielding a turn per step only multiplied the writes per socket by five.
      if (this.stepDelayMs > 0) await sleep(this.stepDelayMs)
      if (this.emitter) {
        this.emitter.emit(type, payload(this.context.run_id))
        emitted += 1
      }
    }
    const { run_id, user_id } = this.context
    this.bus.emit({ kind: 'run_completed', run_id, user_id, emitted })
    return { emitted }
  }
}
