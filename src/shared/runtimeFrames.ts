import { z } from 'zod'
import { agentEventSchema } from './agentEvents'
import { contextIdsSchema } from './context'

/** Largest frame the runtime's ws server accepts from a simulated user; larger closes that socket with 1009. */
export const RUNTIME_MAX_PAYLOAD_BYTES = 64 * 1024

/** Frames a simulated user may send to the runtime. Anything else earns an error frame, never a closed socket. */
export const clientFrameSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('start_run'), message: z.string().max(2000).optional() }),
  z.strictObject({ type: z.literal('ping'), nonce: z.number().int().optional() })
])
export type ClientFrame = z.infer<typeof clientFrameSchema>

/** Frames the runtime sends to a simulated user. */
export const serverFrameSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('welcome'), connection_id: z.string(), context: contextIdsSchema }),
  z.strictObject({ type: z.literal('run_accepted'), run_id: z.string() }),
  z.strictObject({ type: z.literal('agent_event'), event: agentEventSchema }),
  z.strictObject({ type: z.literal('pong'), nonce: z.number().int().optional() }),
  z.strictObject({ type: z.literal('error'), code: z.string(), message: z.string() })
])
export type ServerFrame = z.infer<typeof serverFrameSchema>
