import type { ErrorInfo } from '../../shared/inspection'

/**
 * An error as the modelled backend raises it. The seeds quote Python tracebacks (`ValueError: ...`), so the
 * runtime keeps the Python type name and the source site to reproduce them faithfully.
 */
export class BackendError extends Error {
  constructor(
    readonly pyType: string,
    message: string,
    readonly site?: string,
    readonly chain?: readonly string[]
  ) {
    super(message)
    this.name = pyType
  }

  toInfo(): ErrorInfo {
    return {
      type: this.pyType,
      message: this.message,
      ...(this.site ? { site: this.site } : {}),
      ...(this.chain ? { chain: [...this.chain] } : {})
    }
  }

  withChain(chain: readonly string[]): BackendError {
    return new BackendError(this.pyType, this.message, this.site, chain)
  }

  /** The same error with `outer` in front of the chain it already carries: a caller one frame further out. */
  calledFrom(outer: readonly string[]): BackendError {
    return this.withChain([...outer, ...(this.chain ?? [])])
  }
}

export const valueError = (message: string, site?: string): BackendError =>
  new BackendError('ValueError', message, site)
export const typeError = (message: string, site?: string): BackendError =>
  new BackendError('TypeError', message, site)

/** Any thrown value as ErrorInfo, so nothing reaches the trace as "[object Object]". */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof BackendError) return error.toInfo()
  if (error instanceof Error) return { type: error.name, message: error.message }
  return { type: 'Error', message: String(error) }
}

/** The seeds' error texts, verbatim: tests and scenarios compare against these. */
export const SEED_TEXT = {
  factoryRequiresContext: 'user_context must be a UserExecutionContext instance',
  importTimeProhibited:
    'WebSocket manager creation requires valid UserExecutionContext. Import-time initialization is prohibited. ' +
    'Use request-scoped factory pattern instead. See User Context Architecture documentation for proper implementation.',
  unexpectedContextKeyword: "create_websocket_manager() got an unexpected keyword argument 'context'",
  engineFactoryRequiresBridge:
    'ExecutionEngineFactory requires websocket_bridge during initialization. ' +
    'This is required for WebSocket events that enable chat business value.',
  deprecatedContextCreation:
    'Using deprecated create_user_execution_context - consider get_request_scoped_user_context',
  runIdFormat: 'run_id does not follow expected format',
  threadMismatch: 'Thread ID mismatch in run_id'
} as const

/** Where the seeds say each error is raised. */
export const SEED_SITE = {
  factoryValidation: 'websocket_manager_factory.py:762',
  legacyWrapper: 'websocket_core/__init__.py:56-64',
  /** Seed 000: the migration-era wrapper forwards user_context=None here. */
  passthroughForward: '__init__.py:50',
  engineFactory: 'execution_engine_factory.py',
  agentHandler: 'agent_handler.py'
} as const
