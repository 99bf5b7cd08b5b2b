import { contextIdsSchema, type ContextIds } from '../../../shared/context'

/**
 * The request-scoped identity every per-user resource is bound to
 * (netra_backend/app/agents/supervisor/user_execution_context.py in the seeds). The factory checks
 * `instanceof UserExecutionContext`, so a structurally identical class from another module is rejected.
 */
export class UserExecutionContext {
  static readonly modulePath = 'netra_backend.app.agents.supervisor.user_execution_context'
  readonly user_id: string
  readonly thread_id: string
  readonly run_id: string
  readonly request_id: string

  private constructor(ids: ContextIds) {
    this.user_id = ids.user_id
    this.thread_id = ids.thread_id
    this.run_id = ids.run_id
    this.request_id = ids.request_id
    Object.freeze(this)
  }

  /** The one way to build a context: the ids are validated, so a context is never half-formed. */
  static fromRequest(ids: ContextIds): UserExecutionContext {
    return new UserExecutionContext(contextIdsSchema.parse(ids))
  }

  toIds(): ContextIds {
    return {
      user_id: this.user_id,
      thread_id: this.thread_id,
      run_id: this.run_id,
      request_id: this.request_id
    }
  }
}
