import { z } from 'zod'
import { contextIdsSchema } from './context'
import { faultNameSchema } from './faults'
import { errorInfoSchema, startupPhaseSchema } from './inspection'
import {
  helloResultSchema,
  recordingExportResultSchema,
  userIdSchema,
  type CommandError,
  type CommandName
} from './inspectorApi'
import {
  scenarioListResultSchema,
  scenarioReportResultSchema,
  scenarioRunResultSchema
} from './scenarioResult'
import { scanReportSchema } from './scanReport'
import { runTargetResultSchema } from './targetResult'
import { observeOutcomeSchema, observeStartResultSchema, observeStatusResultSchema } from './observeResult'

/** How start-up ended, as set_faults and restart_startup report it. */
export const startupOutcomeSchema = z.strictObject({
  state: z.enum(['ready', 'failed']),
  failedPhase: startupPhaseSchema.nullable(),
  error: errorInfoSchema.nullable()
})

/** What each command answers with when it succeeds: the one place a reply's shape is pinned down. */
export const commandResultSchemas = {
  hello: helloResultSchema,
  set_faults: z.strictObject({ faults: z.array(faultNameSchema), startup: startupOutcomeSchema }),
  restart_startup: z.strictObject({ startup: startupOutcomeSchema }),
  add_users: z.strictObject({
    connected: z.array(
      z.strictObject({ user_id: userIdSchema, connection_id: z.string(), context: contextIdsSchema })
    ),
    failed: z.array(z.strictObject({ user_id: z.string(), error: z.string() }))
  }),
  remove_user: z.strictObject({ removed: userIdSchema }),
  start_runs: z.strictObject({
    /** Runs the runtime accepted; each one's run_started was emitted before the reply. */
    started: z.number().int(),
    /** One entry per refused run (or one whose user's connection closed before the runtime answered). */
    refused: z.array(z.strictObject({ user_id: z.string(), message: z.string() })),
    /** Users made slow: their runs were asked for, but their answers wait unread, so they are not counted. */
    not_reading: z.array(userIdSchema)
  }),
  set_user_slow: z.strictObject({ user_id: userIdSchema, slow: z.boolean() }),
  list_scenarios: scenarioListResultSchema,
  run_scenario: scenarioRunResultSchema,
  scenario_report: scenarioReportResultSchema,
  recording_export: recordingExportResultSchema,
  run_target: runTargetResultSchema,
  observe_start: observeStartResultSchema,
  observe_stop: observeOutcomeSchema,
  observe_status: observeStatusResultSchema,
  scan_folder: z.strictObject({
    report: scanReportSchema,
    /** Each finding's chains as the CLI's text report writes them (`test_x.py → a.py → b.py:14`). */
    chains: z.array(z.array(z.string())),
    replay: scenarioRunResultSchema.nullable()
  })
} as const satisfies Record<CommandName, z.ZodType>

export type CommandResult<K extends CommandName> = z.output<(typeof commandResultSchemas)[K]>

/** A command's reply, its result typed by the command. */
export type ReplyTo<K extends CommandName> =
  { ok: true; result: CommandResult<K> } | { ok: false; error: CommandError }

/**
 * Checks a reply that came over a transport (already a CommandReply in shape) against its command's result schema.
 * A result of another shape becomes an error naming the command and the first problem: the UI never guesses.
 */
export function checkReply<K extends CommandName>(
  cmd: K,
  reply: { ok: true; result: unknown } | { ok: false; error: CommandError }
): ReplyTo<K> {
  if (!reply.ok) return reply
  const parsed = commandResultSchemas[cmd].safeParse(reply.result)
  if (parsed.success) return { ok: true, result: parsed.data as CommandResult<K> }
  const issue = parsed.error.issues[0]
  const where = issue?.path.length ? ` at '${issue.path.join('.')}'` : ''
  return {
    ok: false,
    error: { message: `Malformed reply to ${cmd}${where}: ${issue?.message ?? 'unexpected shape'}` }
  }
}
