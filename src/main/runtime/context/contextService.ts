import type { ContextIds } from '../../../shared/context'
import { SEED_TEXT } from '../errors'
import type { InspectionBus } from '../inspection/inspectionBus'
import { checkRunId } from '../ids/runIdFormat'
import type { UnifiedIdGenerator } from '../ids/unifiedIdGenerator'
import { ModelsUserExecutionContext } from './modelsUserExecutionContext'
import { UserExecutionContext } from './userExecutionContext'

export type AnyContext = UserExecutionContext | ModelsUserExecutionContext

export interface ContextServiceOptions {
  /** Fault foreign_context_class: build contexts from the models-path class. */
  foreignClass: boolean
  /** Fault malformed_ids: the deprecated creator with uuid4 ids instead of the generator. */
  malformedIds: boolean
  /** Finer than malformedIds, when given (seed 003's fix leaves some of it in place). */
  ids?: {
    creator: 'deprecated' | 'request_scoped'
    connectionRunIds: 'generator' | 'uuid4'
    runThreads: 'connection' | 'fresh'
  }
}

/**
 * Builds the contexts for connections and runs. Healthy: ids from the one generator, the supervisor's class.
 * Faulty variants reproduce seeds 001 and 003; every id problem becomes a warning in the trace.
 */
export class ContextService {
  constructor(
    private readonly ids: UnifiedIdGenerator,
    private readonly bus: InspectionBus,
    private readonly options: ContextServiceOptions
  ) {}

  private get idPolicy(): NonNullable<ContextServiceOptions['ids']> {
    if (this.options.ids) return this.options.ids
    const malformed = this.options.malformedIds
    return {
      creator: malformed ? 'deprecated' : 'request_scoped',
      connectionRunIds: malformed ? 'uuid4' : 'generator',
      runThreads: malformed ? 'fresh' : 'connection'
    }
  }

  /** A new connection: a fresh thread for the user. */
  forConnection(userId: string): AnyContext {
    const threadId = this.options.malformedIds ? this.ids.uuid4() : this.ids.threadId()
    const runId = this.idPolicy.connectionRunIds === 'uuid4' ? this.ids.uuid4() : this.ids.runId(threadId)
    return this.build({ user_id: userId, thread_id: threadId, run_id: runId, request_id: this.requestId() })
  }

  /** A new run within a connection's thread. */
  forRun(connection: ContextIds): AnyContext {
    // The faulty handler generates a fresh thread for the run id instead of reusing the connection's thread.
    const runThread = this.idPolicy.runThreads === 'fresh' ? this.ids.threadId() : connection.thread_id
    return this.build({
      user_id: connection.user_id,
      thread_id: connection.thread_id,
      run_id: this.ids.runId(runThread),
      request_id: this.requestId()
    })
  }

  private requestId(): string {
    return this.options.malformedIds ? this.ids.uuid4() : this.ids.requestId()
  }

  private build(ids: ContextIds): AnyContext {
    if (this.idPolicy.creator === 'deprecated') {
      this.bus.emit({
        kind: 'warning',
        code: 'deprecated_context_creation',
        message: SEED_TEXT.deprecatedContextCreation,
        site: 'agent_handler.py'
      })
    }
    const problem = checkRunId(ids.run_id, ids.thread_id)
    if (problem)
      this.bus.emit({
        kind: 'warning',
        code: problem.code,
        message: problem.message,
        site: 'user_execution_context.py'
      })
    return this.options.foreignClass
      ? new ModelsUserExecutionContext(ids)
      : UserExecutionContext.fromRequest(ids)
  }
}
