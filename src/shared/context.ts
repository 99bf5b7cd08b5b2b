import { z } from 'zod'

/** The four ids that scope every piece of per-user state, as carried on the wire and in the trace. */
export const contextIdsSchema = z.strictObject({
  user_id: z.string().min(1).max(200),
  thread_id: z.string().min(1).max(200),
  run_id: z.string().min(1).max(400),
  request_id: z.string().min(1).max(200)
})
export type ContextIds = z.infer<typeof contextIdsSchema>
