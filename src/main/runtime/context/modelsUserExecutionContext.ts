import { contextIdsSchema, type ContextIds } from '../../../shared/context'

/**
 * The second UserExecutionContext that seed 001 ran into: same fields, imported from the models path. It is a
 * different class, so the factory's isinstance check fails on it ("Using models path caused type mismatch").
 */
export class ModelsUserExecutionContext {
  static readonly modulePath = 'netra_backend.app.models.user_execution_context'
  readonly user_id: string
  readonly thread_id: string
  readonly run_id: string
  readonly request_id: string

  constructor(ids: ContextIds) {
    const valid = contextIdsSchema.parse(ids)
    this.user_id = valid.user_id
    this.thread_id = valid.thread_id
    this.run_id = valid.run_id
    this.request_id = valid.request_id
    Object.freeze(this)
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
