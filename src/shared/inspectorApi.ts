import { z } from 'zod'
import { faultNameSchema } from './faults'
import { checkedInspectionEventSchema } from './inspectionEventCheck'
import { machineGraphSchema } from './machineGraph'
import { scanLanguageOptionSchema } from './scanReport'
import type { ReplyTo } from './commandResults'
import { pushSummarySchema } from './pushSummary'
import { GROUP_SIZE_MAX } from './targetFile'

/**
 * The one contract between the UI and the embedded runtime, whatever carries it (Electron IPC or the web-mode
 * WebSocket control channel). Commands go in, zod-checked at the transport; inspection events come out in batches.
 */
export const userIdSchema = z.string().min(1).max(200)

/**
 * Longest target file text `run_target` takes, in characters: even written entirely in characters JSON escapes as
 * six bytes (\u0000…), the command stays inside the control channel's 1 MiB frame (CONTROL_MAX_PAYLOAD_BYTES).
 */
export const TARGET_TEXT_MAX_CHARS = 160 * 1024

/**
 * The app's bounds on a target run (docs/target-mode.md#from-the-app): its events stream live into the views and
 * its reply carries the whole stream once, so the run stays what one page follows comfortably (500 users × 5 runs
 * measured responsive). Larger runs belong to the CLI. A value over a bound is refused, never lowered.
 */
export const TARGET_APP_MAX_USERS = 500
export const TARGET_APP_MAX_RUNS = 20

export const commandSchema = z.discriminatedUnion('cmd', [
  z.strictObject({ cmd: z.literal('hello') }),
  z.strictObject({ cmd: z.literal('set_faults'), faults: z.array(faultNameSchema).max(16) }),
  z.strictObject({ cmd: z.literal('restart_startup') }),
  z.strictObject({ cmd: z.literal('add_users'), count: z.number().int().min(1).max(100) }),
  z.strictObject({ cmd: z.literal('remove_user'), user_id: userIdSchema }),
  z.strictObject({
    cmd: z.literal('start_runs'),
    user_id: userIdSchema.optional(),
    runs: z.number().int().min(1).max(1000)
  }),
  z.strictObject({ cmd: z.literal('set_user_slow'), user_id: userIdSchema, slow: z.boolean() }),
  z.strictObject({ cmd: z.literal('list_scenarios') }),
  z.strictObject({
    cmd: z.literal('run_scenario'),
    id: z.string().min(1).max(200),
    mode: z.enum(['failure', 'fixed', 'both'])
  }),
  z.strictObject({ cmd: z.literal('scenario_report'), id: z.string().min(1).max(200) }),
  /** Saves the whole session so far: the reply counts it, the file travels outside the channel (see below). */
  z.strictObject({ cmd: z.literal('recording_export') }),
  /** Target mode (docs/target-mode.md): `target` is the target file's JSON text; the reply carries the report and
   * the run's inspection stream as NDJSON, to open like a recording. Bounded so the reply stays small. */
  z.strictObject({
    cmd: z.literal('run_target'),
    target: z.string().max(TARGET_TEXT_MAX_CHARS),
    users: z
      .number()
      .int()
      .min(1)
      .max(TARGET_APP_MAX_USERS, `at most ${TARGET_APP_MAX_USERS} users in the app (the CLI takes more)`),
    runs: z
      .number()
      .int()
      .min(1)
      .max(
        TARGET_APP_MAX_RUNS,
        `at most ${TARGET_APP_MAX_RUNS} runs per user in the app (the CLI takes more)`
      ),
    url: z.string().min(1).max(2000).optional(),
    /** Replaces users.shareKey.groupSize, as the CLI's --group-size (refused the same way without a shareKey). */
    group_size: z.number().int().min(1).max(GROUP_SIZE_MAX).optional()
  }),
  /**
   * Observe mode (docs/observe-mode.md#from-the-app), as `observe --upstream U [--listen P] --user-from R...
   * [--owner-id P]...`: a relay on 127.0.0.1 whose inspection stream joins the session's, live. One at a time.
   */
  z.strictObject({
    cmd: z.literal('observe_start'),
    upstream: z.string().min(1).max(2000),
    listen: z.number().int().min(0).max(65_535).optional(),
    user_from: z.array(z.string().max(500)).max(32),
    owner_ids: z.array(z.string().min(1).max(500)).max(32).optional(),
    /** false: as `--no-canaries`, judge by owner ids only. Default true. */
    canaries: z.boolean().optional()
  }),
  z.strictObject({ cmd: z.literal('observe_stop') }),
  z.strictObject({ cmd: z.literal('observe_status') }),
  /** Scans a folder on the host's machine (docs/scan.md#from-the-app), as `scan <path> [--lang L]` does. */
  z.strictObject({
    cmd: z.literal('scan_folder'),
    path: z.string().min(1).max(4096),
    lang: scanLanguageOptionSchema.optional()
  })
])
export type Command = z.infer<typeof commandSchema>
export type CommandName = Command['cmd']

/**
 * `recording_export`'s result: the session's recording (src/shared/recordingFormat.ts) as it stands, every event
 * since the runtime started. The file itself never crosses the control channel: web mode downloads its first
 * `bytes` from {@link RECORDING_DOWNLOAD_PATH}, Electron saves it through `InspectorBridge.saveRecording`.
 */
export const recordingExportResultSchema = z.strictObject({
  events: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative()
})
export type RecordingExportResult = z.infer<typeof recordingExportResultSchema>

/** Web mode: `GET /recording?token=…&bytes=N` answers the session's recording as an attachment, cut at N bytes. */
export const RECORDING_DOWNLOAD_PATH = '/recording'

export const helloResultSchema = z.strictObject({
  machine: machineGraphSchema,
  faults: z.array(faultNameSchema),
  /** Every inspection event so far, so a late UI starts from the same state as one that watched from the start. */
  history: z.array(checkedInspectionEventSchema)
})
export type HelloResult = z.infer<typeof helloResultSchema>

export const commandErrorSchema = z.strictObject({
  message: z.string(),
  /** For validation errors: where in the command the problem is, e.g. "count". */
  path: z.string().optional()
})
export type CommandError = z.infer<typeof commandErrorSchema>

export type CommandReply = { ok: true; result: unknown } | { ok: false; error: CommandError }

/** What a transport pushes to the UI. Batches, never one message per event. */
export const pushSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('events'), events: z.array(checkedInspectionEventSchema) }),
  /** The runtime was rebuilt (faults changed, start-up restarted): drop the projection and start from `history`. */
  z.strictObject({ type: z.literal('reset'), hello: helloResultSchema }),
  /** Web mode: counts of the events this tab fell too far behind to receive (see pushSummary.ts). */
  z.strictObject({ type: z.literal('summary'), summary: pushSummarySchema })
])
export type Push = z.infer<typeof pushSchema>

/**
 * A Push as UTF-8 JSON: what the host hands its transports, and what they carry. Inspection events travel as the
 * bus's own NDJSON lines, copied into the `events` array as the history ring encoded them, so a flood is
 * serialized once, on the bus, and never decoded in the main process. The renderer decodes, parses and checks it
 * with `pushSchema` at the boundary.
 */
export type PushBytes = Uint8Array & { readonly __pushBytes: true }

const utf8 = new TextEncoder()

/** The `events` push for a batch of the bus's NDJSON lines (each one event's JSON, no newline). */
export function eventsPushBytes(lines: readonly string[]): PushBytes {
  return utf8.encode(`{"type":"events","events":[${lines.join(',')}]}`) as PushBytes
}

/** Any push as bytes, for one that is an object to begin with. */
export function pushBytes(push: Push): PushBytes {
  return utf8.encode(JSON.stringify(push)) as PushBytes
}

/** The `reset` push around a hello result given as JSON text (see InspectorHost.helloText). */
export function resetPushBytes(helloText: string): PushBytes {
  return utf8.encode(`{"type":"reset","hello":${helloText}}`) as PushBytes
}

/** Sends a command and resolves to its reply, the result typed (and checked) by the command. */
export type SendCommand = <C extends Command>(command: C) => Promise<ReplyTo<C['cmd']>>

/** The typed client the renderer holds; one implementation per transport. */
export interface InspectorClient {
  /** The reply's result is checked against its command's schema (commandResults.ts) before it is handed over. */
  send: SendCommand
  /** Returns its own unsubscribe. */
  subscribe(listener: (push: Push) => void): () => void
}

/**
 * What the Electron preload exposes as `window.inspector`. Replies cross the context bridge as their JSON text and
 * pushes as their UTF-8 JSON (one string or byte array is cheap to copy, a history of objects is not); the
 * renderer's IPC client parses and checks both, and offers the same `InspectorClient` as the web-mode one.
 */
export interface InspectorBridge {
  /** Resolves to the reply as JSON text: a CommandReply, as the web-mode channel carries it. */
  send(command: Command): Promise<string>
  /** Returns its own unsubscribe. */
  subscribe(listener: (push: PushBytes) => void): () => void
  /** Asks where to save the session's recording (a save dialog) and writes its first `bytes` there. */
  saveRecording(bytes: number): Promise<CommandReply>
}
