import { z } from 'zod'
import { agentEventTypeSchema } from './agentEvents'
import { contextIdsSchema } from './context'
import { targetReportSchema } from './targetResult'

/** Start-up phases, in the order the phase machine walks them (startup_phase_validation in ADR-001). */
export const STARTUP_STATES = [
  'idle',
  'initialization',
  'configuration',
  'integration',
  'readiness',
  'ready',
  'failed'
] as const
export const startupStateSchema = z.enum(STARTUP_STATES)
export type StartupState = z.infer<typeof startupStateSchema>
export const STARTUP_PHASES = ['initialization', 'configuration', 'integration', 'readiness'] as const
export const startupPhaseSchema = z.enum(STARTUP_PHASES)
export type StartupPhase = z.infer<typeof startupPhaseSchema>

export const APP_STATE_CONTRACTS = [
  'websocket_connection_pool',
  'agent_websocket_bridge',
  'execution_engine_factory'
] as const
export const contractNameSchema = z.enum(APP_STATE_CONTRACTS)
export type ContractName = z.infer<typeof contractNameSchema>

/** An error as the seeds print it: a Python-style type, the message, where it was raised and the chain that led there. */
export const errorInfoSchema = z.strictObject({
  type: z.string(),
  message: z.string(),
  site: z.string().optional(),
  chain: z.array(z.string()).optional()
})
export type ErrorInfo = z.infer<typeof errorInfoSchema>

const base = { seq: z.number().int().nonnegative(), ts: z.number() }

export const inspectionEventSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...base,
    kind: z.literal('phase_transition'),
    from: startupStateSchema.nullable(),
    to: startupStateSchema
  }),
  z.strictObject({
    ...base,
    kind: z.literal('phase_failed'),
    phase: startupPhaseSchema,
    error: errorInfoSchema
  }),
  z.strictObject({
    ...base,
    kind: z.literal('contract_check'),
    contract: contractNameSchema,
    ok: z.boolean(),
    enforced: z.boolean(),
    findings: z.array(z.string())
  }),
  z.strictObject({
    ...base,
    kind: z.literal('module_loaded'),
    module: z.string(),
    chain: z.array(z.string())
  }),
  z.strictObject({
    ...base,
    kind: z.literal('module_failed'),
    module: z.string(),
    chain: z.array(z.string()),
    error: errorInfoSchema
  }),
  z.strictObject({
    ...base,
    kind: z.literal('manager_created'),
    manager_id: z.string(),
    mode: z.enum(['isolated', 'shared']),
    context: contextIdsSchema.nullable(),
    caller: z.string()
  }),
  z.strictObject({
    ...base,
    kind: z.literal('manager_rejected'),
    caller: z.string(),
    call: z.string(),
    error: errorInfoSchema
  }),
  z.strictObject({
    ...base,
    kind: z.literal('manager_closed'),
    manager_id: z.string(),
    user_id: z.string().nullable()
  }),
  z.strictObject({
    ...base,
    kind: z.literal('user_connected'),
    connection_id: z.string(),
    context: contextIdsSchema,
    manager_id: z.string()
  }),
  z.strictObject({
    ...base,
    kind: z.literal('user_disconnected'),
    connection_id: z.string(),
    user_id: z.string(),
    code: z.number().int(),
    reason: z.string()
  }),
  /** The runtime stopped sending to a connection that stopped reading: why, and how far behind it was. */
  z.strictObject({
    ...base,
    kind: z.literal('user_cut_off'),
    connection_id: z.string(),
    user_id: z.string(),
    code: z.number().int(),
    reason: z.string(),
    buffered_bytes: z.number().int().nonnegative()
  }),
  z.strictObject({ ...base, kind: z.literal('run_started'), context: contextIdsSchema }),
  z.strictObject({
    ...base,
    kind: z.literal('run_completed'),
    run_id: z.string(),
    user_id: z.string(),
    emitted: z.number().int().nonnegative()
  }),
  z.strictObject({
    ...base,
    kind: z.literal('agent_event_emitted'),
    event_id: z.string(),
    type: agentEventTypeSchema,
    user_id: z.string(),
    run_id: z.string(),
    manager_id: z.string(),
    recipients: z.number().int().nonnegative()
  }),
  z.strictObject({
    ...base,
    kind: z.literal('agent_event_delivered'),
    event_id: z.string(),
    type: agentEventTypeSchema,
    run_id: z.string(),
    owner_user_id: z.string(),
    receiver_user_id: z.string(),
    latency_ms: z.number()
  }),
  z.strictObject({
    ...base,
    kind: z.literal('isolation_violation'),
    event_id: z.string(),
    type: agentEventTypeSchema,
    run_id: z.string(),
    owner_user_id: z.string(),
    receiver_user_id: z.string()
  }),
  z.strictObject({
    ...base,
    kind: z.literal('events_missing'),
    run_id: z.string(),
    user_id: z.string(),
    received: z.array(agentEventTypeSchema),
    missing: z.array(agentEventTypeSchema)
  }),
  z.strictObject({
    ...base,
    kind: z.literal('events_out_of_order'),
    run_id: z.string(),
    user_id: z.string(),
    received: z.array(agentEventTypeSchema)
  }),
  z.strictObject({
    ...base,
    kind: z.literal('warning'),
    code: z.string(),
    message: z.string(),
    site: z.string().optional()
  }),
  z.strictObject({
    ...base,
    kind: z.literal('frame_rejected'),
    connection_id: z.string(),
    user_id: z.string().nullable(),
    problem: z.string()
  }),
  /**
   * A line of the modelled backend that leaves no other trace ran: a factory check, a deferral, a deferred factory
   * creating on first use, a bridge stored in app.state or made per user, a handler call site binding its call.
   */
  z.strictObject({
    ...base,
    kind: z.literal('backend_call'),
    site: z.string(),
    code: z.string(),
    op: z.string(),
    outcome: z.string()
  }),
  z.strictObject({
    ...base,
    kind: z.literal('scenario_step'),
    scenario_id: z.string(),
    mode: z.enum(['failure', 'fixed']),
    label: z.string()
  }),
  /** Target mode began: which backend, how many users and runs, and what each run must deliver to its owner. */
  z.strictObject({
    ...base,
    kind: z.literal('target_started'),
    url: z.string(),
    users: z.number().int().nonnegative(),
    runs: z.number().int().nonnegative(),
    expected: z.array(agentEventTypeSchema),
    /** The backend's own type name for each expected role. */
    type_names: z.partialRecord(agentEventTypeSchema, z.string()),
    /**
     * A shard of a larger run (`target --shard`): the run id every shard was given, this shard (0-based) of how
     * many, the users of the whole run, and the target file's SHA-256, so `merge` can tell recordings of one run.
     */
    shard: z
      .strictObject({
        run_id: z.string(),
        index: z.number().int().nonnegative(),
        count: z.number().int().positive(),
        users_total: z.number().int().positive(),
        file_sha256: z.string()
      })
      .optional()
  }),
  /** Target mode ended: the report as `target --json` prints it, and its exit code (what `merge` adds up). */
  z.strictObject({
    ...base,
    kind: z.literal('target_finished'),
    report: targetReportSchema,
    exit_code: z.number().int()
  }),
  /** A frame from a target backend that is not JSON or has no readable type: counted and shown, never audited. */
  z.strictObject({
    ...base,
    kind: z.literal('target_frame_unparsed'),
    receiver_user_id: z.string(),
    problem: z.string(),
    excerpt: z.string()
  }),
  /** An event whose owner ids cannot be read: it cannot be judged, so it is shown instead of dropped. */
  z.strictObject({
    ...base,
    kind: z.literal('target_owner_unreadable'),
    receiver_user_id: z.string(),
    type: agentEventTypeSchema,
    problem: z.string(),
    excerpt: z.string()
  }),
  /** One user's canary marker reached another user: a leak even when the frame's ids look right. */
  z.strictObject({
    ...base,
    kind: z.literal('canary_leak'),
    canary_user_id: z.string(),
    receiver_user_id: z.string(),
    frame_type: z.string().nullable(),
    run_id: z.string().nullable(),
    excerpt: z.string()
  }),
  /** Observe mode began: what it watches (a relay's upstream, a HAR file), its user rules and owner-id pointers. */
  z.strictObject({
    ...base,
    kind: z.literal('observe_started'),
    source: z.string(),
    rules: z.array(z.string()),
    owner_ids: z.array(z.string())
  }),
  /**
   * Observe mode: a connection and who it belongs to (null: no rule named a user; `problems` says why). Carries
   * the upgrade request as the backend saw it, so a recording exports as HAR. `at`: when it opened (ms).
   */
  z.strictObject({
    ...base,
    kind: z.literal('observed_connection'),
    connection_id: z.string(),
    user_id: z.string().nullable(),
    rule: z.string().nullable(),
    problems: z.array(z.string()),
    url: z.string(),
    headers: z.record(z.string(), z.string()),
    at: z.number()
  }),
  /**
   * Observe mode: one whole message. `data` is the text, or base64 for a binary message, cut at the recording
   * bound (`truncated`); `bytes` is the message's real size. `at`: when it crossed (ms). `owner_user_id`: the
   * user the frame's --owner-id names, when that is an observed user (null otherwise, and for client -> server
   * frames; absent from recordings made before it was added).
   */
  z.strictObject({
    ...base,
    kind: z.literal('observed_frame'),
    connection_id: z.string(),
    user_id: z.string().nullable(),
    direction: z.enum(['client_to_server', 'server_to_client']),
    binary: z.boolean(),
    bytes: z.number().int().nonnegative(),
    data: z.string(),
    truncated: z.boolean(),
    at: z.number(),
    owner_user_id: z.string().nullable().optional()
  }),
  /**
   * Observe mode: an observed connection closed (attributed or not), with the first close frame's code and reason
   * and who sent it (docs/observe-mode.md). An attributed one also gets user_disconnected, for the users view.
   */
  z.strictObject({
    ...base,
    kind: z.literal('observed_closed'),
    connection_id: z.string(),
    user_id: z.string().nullable(),
    code: z.number().int(),
    reason: z.string(),
    closed_by: z.enum(['client', 'server', 'proxy'])
  }),
  /** Observe mode: a frame reached a user it does not belong to, by an owner id it carries or another user's canary. */
  z.strictObject({
    ...base,
    kind: z.literal('observed_leak'),
    connection_id: z.string(),
    by: z.enum(['owner_id', 'canary']),
    owner_user_id: z.string(),
    receiver_user_id: z.string(),
    /** The owner-id pointer that read the owner, or null for a canary. */
    pointer: z.string().nullable(),
    /** The canary found, or null for an owner id. */
    canary: z.string().nullable(),
    excerpt: z.string()
  })
])
export type InspectionEvent = z.infer<typeof inspectionEventSchema>
export type InspectionKind = InspectionEvent['kind']
export type InspectionEventOf<K extends InspectionKind> = Extract<InspectionEvent, { kind: K }>
/** What a producer hands the bus: the bus stamps seq and ts. */
export type InspectionDraft = InspectionEvent extends infer E
  ? E extends InspectionEvent
    ? Omit<E, 'seq' | 'ts'>
    : never
  : never
