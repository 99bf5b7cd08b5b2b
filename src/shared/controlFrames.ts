import { z } from 'zod'
import { commandErrorSchema, commandSchema, pushSchema } from './inspectorApi'

/**
 * Wire frames of the web-mode control channel (`ws://127.0.0.1:PORT/control?token=...`), one JSON text frame each.
 * The browser sends requests; the server answers each with a reply carrying the same id, and pushes batches.
 */

/**
 * Largest frame the control channel accepts: what the largest command needs (`run_target`'s target text, at most
 * 1000 KiB, with the frame around it). Recordings never travel in a frame. A larger frame closes the socket with
 * 1009 (ws's own check, before any parsing).
 */
export const CONTROL_MAX_PAYLOAD_BYTES = 1024 * 1024

/**
 * A tab with more than this many bytes queued for it is behind: pushes are not sent to it but summarised
 * (`summary` push) until its queue drains below this again. It keeps its connection.
 */
export const CONTROL_BEHIND_BYTES = 1024 * 1024

/**
 * A tab that is behind and has read nothing for this long has stopped reading: the server closes its socket with
 * {@link CONTROL_CLOSE_SLOW_CONSUMER} and {@link CONTROL_STALLED_REASON}.
 */
export const CONTROL_STALL_MS = 30_000

/**
 * Hard per-connection limit on bytes queued (replies, which are never shed, can pile up behind a tab that sends
 * commands without reading). Past it the server closes that socket with {@link CONTROL_CLOSE_SLOW_CONSUMER} and
 * {@link CONTROL_OVERFLOW_REASON} instead of buffering without bound. Above a full hello (the history keeps at most
 * 48 MiB), so a tab still reading one can send its next command.
 */
export const CONTROL_MAX_BUFFERED_BYTES = 64 * 1024 * 1024

/** Close code "Try Again Later": the client stopped reading; it reconnects and starts over from `hello`. */
export const CONTROL_CLOSE_SLOW_CONSUMER = 1013
export const CONTROL_STALLED_REASON = 'Stopped reading; reconnect and send hello'
export const CONTROL_OVERFLOW_REASON = 'Too many unread replies; reconnect and send hello'

/** Browser → server. `id` is chosen by the client and echoed in the reply. */
export const controlRequestSchema = z.strictObject({
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  command: commandSchema
})
export type ControlRequest = z.infer<typeof controlRequestSchema>

export const commandReplySchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: commandErrorSchema })
])

/** Server → browser: the answer to one request. `id` is null only when the bad frame had no usable id. */
export const controlReplyFrameSchema = z.strictObject({
  id: z.number().int().nonnegative().nullable(),
  reply: commandReplySchema
})
export type ControlReplyFrame = z.infer<typeof controlReplyFrameSchema>

/** Server → browser: a batch of inspection events or a reset, as `InspectorClient.subscribe` delivers them. */
export const controlPushFrameSchema = z.strictObject({ push: pushSchema })
export type ControlPushFrame = z.infer<typeof controlPushFrameSchema>

export const controlServerFrameSchema = z.union([controlReplyFrameSchema, controlPushFrameSchema])
export type ControlServerFrame = z.infer<typeof controlServerFrameSchema>

/** Path of the control channel on the web-mode server; the token travels as `?token=`. */
export const CONTROL_PATH = '/control'
