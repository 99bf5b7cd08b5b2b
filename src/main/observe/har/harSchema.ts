import { z } from 'zod'

/**
 * The parts of a HAR 1.2 file (http://www.softwareishard.com/blog/har-12-spec/) that observe mode reads, plus the
 * WebSocket extension Chrome DevTools and Playwright's recordHar write: an entry's `_webSocketMessages`. Fields we
 * do not read are allowed and ignored; the ones we read are checked, so a file that is not HAR is refused with the
 * path of the first field that is wrong.
 */
const nameValue = z.object({ name: z.string(), value: z.string() })

export const harWebSocketMessageSchema = z.object({
  type: z.enum(['send', 'receive']),
  /** Seconds since the epoch in Chrome's HARs, milliseconds in Playwright's: readHar tells them apart. */
  time: z.number(),
  /** 1 text, 2 binary (data in base64); Playwright may also list 8 (close), 9 and 10 (ping, pong). */
  opcode: z.number().int(),
  data: z.string()
})
export type HarWebSocketMessage = z.infer<typeof harWebSocketMessageSchema>

export const harEntrySchema = z.object({
  startedDateTime: z.string(),
  request: z.object({
    method: z.string(),
    url: z.string(),
    headers: z.array(nameValue),
    cookies: z.array(nameValue).optional()
  }),
  response: z.object({ status: z.number() }),
  _resourceType: z.string().optional(),
  _webSocketMessages: z.array(harWebSocketMessageSchema).optional()
})
export type HarEntry = z.infer<typeof harEntrySchema>

export const harSchema = z.object({
  log: z.object({
    version: z.string(),
    creator: z.object({ name: z.string(), version: z.string() }),
    entries: z.array(harEntrySchema)
  })
})
export type Har = z.infer<typeof harSchema>

/** Whether an entry is a WebSocket: Chrome and Playwright mark it `_resourceType: "websocket"`; others answer 101. */
export function isWebSocketEntry(entry: HarEntry): boolean {
  return entry._resourceType === 'websocket' || entry.response.status === 101
}
