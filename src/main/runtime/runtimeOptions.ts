import { z } from 'zod'
import { faultSetSchema, type FaultName } from '../../shared/faults'
import { startupPhaseSchema } from '../../shared/inspection'
import { codeEffectSchema } from './startup/codeEffects'
import { moduleGraphSchema } from './startup/moduleGraph'

export const startupHookSchema = z.strictObject({
  phase: startupPhaseSchema.exclude(['initialization']),
  effect: codeEffectSchema
})
export type StartupHook = z.infer<typeof startupHookSchema>

/** Everything a runtime can be started with. Defaults give the healthy, fixed system. */
export const runtimeOptionsSchema = z.strictObject({
  /** Seeds the id generator: the same seed gives the same ids. Default 1. */
  seed: z.number().int().default(1),
  faults: faultSetSchema.default([]),
  /** How get_websocket_manager() treats a missing context when not in singleton mode. Default strict. */
  legacyWrapper: z.enum(['strict', 'passthrough']).default('strict'),
  /** The backend imported at INITIALIZATION. Default: the seeds' modules, healthy unless import_time_manager. */
  moduleGraph: moduleGraphSchema.optional(),
  /** Extra lines run during a phase, e.g. seed 002's startup validation. */
  startupHooks: z.array(startupHookSchema).default([]),
  /** Whether get_websocket_manager_factory() finds a factory. Default true; false reaches seed 002's RuntimeError. */
  factoryRegistered: z.boolean().default(true),
  /** ADR-001's bridge designs, shown in the trace: one shared bridge in app.state, or one per user. Default: unmodelled. */
  bridgeScope: z.enum(['shared', 'per_user']).optional(),
  /**
   * How contexts get their ids, when a scenario says more than the malformed_ids fault: seed 003's fix keeps the
   * deprecated creator and a uuid4 run id at connect, while runs take their ids from the generator.
   */
  contextIds: z
    .strictObject({
      creator: z.enum(['deprecated', 'request_scoped']),
      connectionRunIds: z.enum(['generator', 'uuid4']),
      runThreads: z.enum(['connection', 'fresh'])
    })
    .optional(),
  /** agent_handler.py's call sites of create_websocket_manager, taken in turn by runs. Default: one, handle_message. */
  handlerSites: z
    .array(z.strictObject({ site: z.string().min(1), code: z.string().min(1) }))
    .min(1)
    .optional(),
  /** Pause between an agent's five steps. Default 0. */
  stepDelayMs: z.number().min(0).max(10_000).default(0),
  /** Runtime ws port on 127.0.0.1; 0 picks one. */
  port: z.number().int().min(0).max(65_535).default(0),
  token: z.string().min(16).optional(),
  /** How long after a run completes before its missing events are reported. Default 1000 ms. */
  missingGraceMs: z.number().int().min(0).default(1_000),
  /** Unsent bytes one socket may hold before it is cut off with 4008. Default 4 MiB. */
  maxBufferedBytes: z
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024),
  /**
   * History the inspection bus keeps for late subscribers, in events and in bytes (its storage is reserved when
   * the runtime starts). The defaults are the app's: a UI's hello replays the last 100,000 events. A host that
   * never reads the history back (the CLI's load) asks for less. Ignored when Runtime.start is given a bus.
   */
  historyLimit: z.number().int().positive().default(100_000),
  historyBytes: z
    .number()
    .int()
    .min(64 * 1024)
    .default(48 * 1024 * 1024)
})
export type RuntimeOptionsInput = z.input<typeof runtimeOptionsSchema>
export type RuntimeOptions = z.output<typeof runtimeOptionsSchema>

/** The wiring a set of faults implies, in one place so the UI, the CLI and the scenarios agree. */
export function wiringFor(faults: readonly FaultName[]) {
  const has = (fault: FaultName): boolean => faults.includes(fault)
  return {
    singleton: has('shared_singleton_manager'),
    importTimeManager: has('import_time_manager'),
    keywordMismatch: has('factory_keyword_mismatch'),
    bridgeInjected: !has('missing_bridge_fail_fast') && !has('missing_bridge_legacy'),
    engineFailFast: !has('missing_bridge_legacy'),
    // The legacy system predates ADR-001's contracts: they are checked and shown, but nothing enforces them.
    contractsEnforced: !has('missing_bridge_legacy'),
    foreignContextClass: has('foreign_context_class'),
    malformedIds: has('malformed_ids')
  }
}
