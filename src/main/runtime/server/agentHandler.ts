import type { ContextIds } from '../../../shared/context'
import type { ErrorInfo } from '../../../shared/inspection'
import type { ExecutionEngineFactory } from '../agents/executionEngineFactory'
import type { ContextService } from '../context/contextService'
import { SEED_SITE, toErrorInfo } from '../errors'
import type { InspectionBus } from '../inspection/inspectionBus'
import { createWebSocketManager } from '../websocket/createWebSocketManager'
import type { IsolatedWebSocketManager } from '../websocket/isolatedWebSocketManager'
import type { LegacyWebSocketManagerWrapper } from '../websocket/legacyWrapper'
import { keywords, positional } from '../websocket/pythonCall'
import type { WebSocketManagerFactory } from '../websocket/webSocketManagerFactory'

export interface AgentHandlerDependencies {
  contexts: ContextService
  factory: WebSocketManagerFactory
  wrapper: LegacyWebSocketManagerWrapper
  bus: InspectionBus
  engineFactory: () => ExecutionEngineFactory | undefined
  /** Fault factory_keyword_mismatch: the handler passes `context=` instead of the positional user_context. */
  keywordMismatch: boolean
  /** The handler's call sites, taken in turn by runs, each leaving a step when it binds (seed 003's six). */
  sites?: ReadonlyArray<{ site: string; code: string }>
}

export type StartRunOutcome =
  { ok: true; run_id: string; done: Promise<unknown> } | { ok: false; error: ErrorInfo }

const CALLER = `${SEED_SITE.agentHandler}:handle_message`

/** agent_handler.py: turns a user's `start_run` into a run context, a manager, an engine and a running agent. */
export class AgentHandler {
  private runsHandled = 0

  constructor(private readonly deps: AgentHandlerDependencies) {}

  /** `accepted` hears the run's id once it has a context, a manager and an engine, before the agent starts emitting. */
  startRun(connection: ContextIds, accepted: (runId: string) => void = () => {}): StartRunOutcome {
    try {
      const engineFactory = this.deps.engineFactory()
      if (!engineFactory) throw new Error('app.state.execution_engine_factory is not configured')
      const runContext = this.deps.contexts.forRun(connection)
      const manager = this.acquireManager(runContext)
      const engine = engineFactory.createEngine(runContext, manager)
      // Told only once nothing more can refuse the run (one answer per start_run); run() emits run_started at once.
      accepted(runContext.run_id)
      const done = engine.run()
      return { ok: true, run_id: runContext.run_id, done }
    } catch (error) {
      return { ok: false, error: toErrorInfo(error) }
    }
  }

  private acquireManager(runContext: unknown): IsolatedWebSocketManager {
    const sites = this.deps.sites
    const at = sites?.[this.runsHandled++ % sites.length]
    if (at) return this.acquireAt(at, runContext)
    if (this.deps.keywordMismatch) {
      return createWebSocketManager(
        this.deps.factory,
        this.deps.bus,
        keywords({ context: runContext }),
        CALLER
      )
    }
    // The singleton-era handler asked the legacy wrapper, which hands out the shared manager.
    if (this.deps.wrapper.mode === 'singleton')
      return this.deps.wrapper.getWebSocketManager(runContext, CALLER)
    return createWebSocketManager(this.deps.factory, this.deps.bus, positional(runContext), CALLER)
  }

  /** One named call site: the keyword call raises there; the positional one binds and says so in the trace. */
  private acquireAt(at: { site: string; code: string }, runContext: unknown): IsolatedWebSocketManager {
    const keyword = this.deps.keywordMismatch
    const call = keyword ? keywords({ context: runContext }) : positional(runContext)
    const manager = createWebSocketManager(this.deps.factory, this.deps.bus, call, at.site)
    this.deps.bus.emit({
      kind: 'backend_call',
      site: at.site,
      code: at.code,
      op: 'create_websocket_manager',
      outcome: `user_context bound positionally: ${manager.userId ?? 'shared'}'s manager ${manager.id}`
    })
    return manager
  }
}
