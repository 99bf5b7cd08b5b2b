import { z } from 'zod'

/** `run_target`'s report, as the CLI prints it with --json; only the fields this UI shows are required. */
export const targetReportSchema = z.looseObject({
  url: z.string(),
  users: z.looseObject({
    requested: z.number(),
    connected: z.number(),
    failed: z.array(z.looseObject({ user_id: z.string(), error: z.string() })),
    closedByServer: z.array(z.looseObject({ user_id: z.string(), code: z.number(), reason: z.string() }))
  }),
  runs: z.looseObject({ requested: z.number(), finished: z.number(), unseen: z.number() }),
  stepFailures: z.looseObject({
    runs: z.number(),
    shown: z.array(z.looseObject({ user_id: z.string(), run: z.number(), error: z.string() }))
  }),
  frames: z.looseObject({
    received: z.number(),
    events: z.number(),
    unparsed: z.number(),
    ownerUnreadable: z.number(),
    ignored: z.number(),
    serverErrors: z.number(),
    otherTypes: z.record(z.string(), z.number()),
    problems: z.array(z.looseObject({ problem: z.string(), count: z.number(), users: z.array(z.string()) }))
  }),
  perUser: z.array(
    z.looseObject({
      user_id: z.string(),
      received: z.number(),
      own: z.number(),
      foreign: z.number(),
      unreadable: z.number(),
      canaryLeaks: z.number()
    })
  ),
  violations: z.number(),
  canaryLeaks: z.number(),
  leaks: z.array(
    z.looseObject({ from: z.string(), to: z.string(), events: z.number(), canaryFrames: z.number() })
  ),
  runsWithMissingEvents: z.number(),
  runsOutOfOrder: z.number(),
  runProblems: z.array(
    z.looseObject({
      user_id: z.string(),
      run_id: z.string(),
      received: z.array(z.string()),
      missing: z.array(z.string())
    })
  ),
  unseenRuns: z.record(z.string(), z.number()),
  latencyMs: z.looseObject({ p50: z.number().nullable(), p99: z.number().nullable() }),
  timedOut: z.boolean(),
  elapsedMs: z.number(),
  verdict: z.string()
})
export type TargetReport = z.infer<typeof targetReportSchema>

export const runTargetResultSchema = z.looseObject({
  report: targetReportSchema,
  exitCode: z.number().int(),
  ndjson: z.string()
})
export type RunTargetResult = z.infer<typeof runTargetResultSchema>
