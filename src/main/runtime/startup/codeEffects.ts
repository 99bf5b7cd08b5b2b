import { z } from 'zod'

/**
 * What a line of the modelled backend does to the WebSocket layer, at import or during a start-up phase.
 * The vocabulary is small on purpose: every seed's failing line is one of these calls.
 */
export const backendCallSchema = z.discriminatedUnion('op', [
  /** `get_websocket_manager()` with no context: the legacy wrapper. */
  z.strictObject({ op: z.literal('get_websocket_manager') }),
  /** `create_websocket_manager(...)` with the given argument style and context source. */
  z.strictObject({
    op: z.literal('create_websocket_manager'),
    style: z.enum(['positional', 'keyword']),
    context: z.enum(['none', 'request', 'models_path'])
  }),
  /** `get_websocket_manager_factory()`: checks the factory exists without creating a manager (seed 002's fix). */
  z.strictObject({ op: z.literal('get_websocket_manager_factory') }),
  /**
   * Nothing is created now: creation is deferred to request time (the seeds' lazy fixes). With `factory`, a
   * deferred factory of that name is registered, and it creates on first use once a request brings a context.
   */
  z.strictObject({ op: z.literal('defer'), factory: z.string().min(1).optional() })
])
export type BackendCall = z.infer<typeof backendCallSchema>

export const codeEffectSchema = z.strictObject({
  /** file:line as the seeds cite it, e.g. "agent_service_factory.py:14". */
  site: z.string().min(1),
  /** The source line, e.g. "manager = get_websocket_manager()". */
  code: z.string().min(1),
  call: backendCallSchema
})
export type CodeEffect = z.infer<typeof codeEffectSchema>
