import { z } from 'zod'
import { errorInfoSchema, inspectionEventSchema, startupPhaseSchema } from './inspection'

/**
 * What the scenario engine hands back: the results of list_scenarios, run_scenario and scenario_report. Plain
 * JSON, so every transport can carry them and the renderer can parse them with these schemas.
 */

export const scenarioSummarySchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  source: z.strictObject({ report: z.string(), title: z.string() }),
  builtin: z.boolean(),
  /** Runs besides failure and fixed, each another failing system the report describes. */
  variants: z.array(z.strictObject({ id: z.string(), title: z.string() })),
  whys: z.array(z.string())
})
export type ScenarioSummary = z.infer<typeof scenarioSummarySchema>

export const scenarioListResultSchema = z.strictObject({ scenarios: z.array(scenarioSummarySchema) })
export type ScenarioListResult = z.infer<typeof scenarioListResultSchema>

export const expectationResultSchema = z.strictObject({
  label: z.string(),
  expect: z.string(),
  held: z.boolean(),
  expected: z.string(),
  found: z.string(),
  /** seq of the trace events that show it, first ones first. */
  evidence: z.array(z.number().int())
})
export type ExpectationResult = z.infer<typeof expectationResultSchema>

export const checkResultSchema = z.strictObject({ name: z.string(), passed: z.boolean(), detail: z.string() })
export type CheckResult = z.infer<typeof checkResultSchema>

export const runOutcomeSchema = z.strictObject({
  /** "failure", "fixed" or a variant id. */
  run: z.string(),
  mode: z.enum(['failure', 'fixed']),
  title: z.string(),
  seed: z.number().int(),
  startup: z.strictObject({
    state: z.enum(['ready', 'failed']),
    failedPhase: startupPhaseSchema.nullable(),
    error: errorInfoSchema.nullable()
  }),
  modules: z.strictObject({
    loaded: z.array(z.string()),
    failures: z.array(
      z.strictObject({ module: z.string(), chain: z.array(z.string()), error: errorInfoSchema })
    ),
    testsBlocked: z.array(z.string()),
    testsCollected: z.array(z.string())
  }),
  users: z.strictObject({
    connected: z.array(z.string()),
    refused: z.array(z.strictObject({ user_id: z.string(), message: z.string() })),
    /** Why no user was connected at all, e.g. start-up failed. */
    skipped: z.string().nullable()
  }),
  runs: z.strictObject({
    started: z.number().int(),
    completed: z.number().int(),
    refused: z.array(z.strictObject({ user_id: z.string(), message: z.string() })),
    timedOut: z.boolean()
  }),
  checks: z.array(checkResultSchema),
  /** Tests run inside a per-test fixture once the runtime was ready (absent when the system has no fixtures). */
  testsRun: z
    .array(z.strictObject({ name: z.string(), fixture: z.string(), passed: z.boolean(), detail: z.string() }))
    .optional(),
  tally: z.strictObject({
    emitted: z.number().int(),
    delivered: z.number().int(),
    leaks: z.number().int(),
    runsMissingEvents: z.number().int(),
    eventsMissing: z.number().int(),
    warnings: z.number().int(),
    managersCreated: z.number().int(),
    managersClosed: z.number().int()
  }),
  expectations: z.array(expectationResultSchema),
  /** Every expectation of this run held. */
  held: z.boolean(),
  trace: z.array(inspectionEventSchema)
})
export type RunOutcome = z.infer<typeof runOutcomeSchema>

export const whyBindingSchema = z.strictObject({
  index: z.number().int().min(1).max(5),
  question: z.string(),
  answer: z.string(),
  run: z.string(),
  /** The trace step that proves this why, or null when it did not bind (see problem) or its run was not run. */
  seq: z.number().int().nullable(),
  problem: z.string().nullable(),
  /**
   * The other run the evidence was checked against, and the step there that matched it too (null: nothing did,
   * so the evidence tells the runs apart). Absent when that run was not made.
   */
  contrast: z.strictObject({ run: z.string(), seq: z.number().int().nullable() }).optional()
})
export type WhyBinding = z.infer<typeof whyBindingSchema>

export const scenarioVerdictSchema = z.strictObject({
  /** The failure (and every variant) showed what it claims; null when not run. */
  reproduced: z.boolean().nullable(),
  /** The fixed system met its expectations; null when not run. */
  fixed: z.boolean().nullable(),
  /** Every why of the runs made is bound to a step, and its evidence tells its run from the other. */
  whysBound: z.boolean(),
  /** No why's evidence holds in the other run as well (false: exit 3, the scenario proves nothing there). */
  whysDiscriminate: z.boolean().optional(),
  ok: z.boolean(),
  problems: z.array(z.string())
})
export type ScenarioVerdict = z.infer<typeof scenarioVerdictSchema>

export const scenarioRunModeSchema = z.enum(['failure', 'fixed', 'both'])
export type ScenarioRunMode = z.infer<typeof scenarioRunModeSchema>

export const scenarioRunResultSchema = z.strictObject({
  scenario: scenarioSummarySchema,
  mode: scenarioRunModeSchema,
  seed: z.number().int(),
  runs: z.array(runOutcomeSchema),
  whys: z.array(whyBindingSchema),
  verdict: scenarioVerdictSchema
})
export type ScenarioRunResult = z.infer<typeof scenarioRunResultSchema>

export const scenarioReportResultSchema = z.strictObject({
  id: z.string(),
  markdown: z.string(),
  verdict: scenarioVerdictSchema
})
export type ScenarioReportResult = z.infer<typeof scenarioReportResultSchema>
