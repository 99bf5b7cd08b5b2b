import type { AgentEventType } from '../../../shared/agentEvents'
import type { ContextIds } from '../../../shared/context'
import type { FaultName } from '../../../shared/faults'
import type {
  ContractName,
  ErrorInfo,
  InspectionEventOf,
  StartupPhase,
  StartupState
} from '../../../shared/inspection'
import type { MachineGraph } from '../../../shared/machineGraph'
import { createRing, type Ring } from './ring'

/** Bounds that keep the projection's memory flat however long a session runs. */
export const LIMITS = {
  defaultLaneCapacity: 500,
  maxLaneCapacity: 100_000,
  phaseHistory: 64,
  recent: 200,
  /** Runs per user still waiting for agent_completed; older ones are dropped (their events went missing). */
  openRunsPerUser: 32,
  /** Disconnected users kept for inspection; beyond this the oldest disconnected ones are forgotten. */
  disconnectedUsers: 200,
  /** Observe mode: connections listed (the newest; older closed ones are forgotten first) and leaks shown. */
  observedConnections: 200,
  observedLeaks: 50,
  /** Observe mode: characters of a frame's text a lane row keeps. */
  frameExcerpt: 120
} as const

export interface PhaseStep {
  seq: number
  ts: number
  from: StartupState | null
  to: StartupState
}

export interface PhaseFailure {
  seq: number
  ts: number
  phase: StartupPhase
  error: ErrorInfo
}

export interface ContractResult {
  seq: number
  contract: ContractName
  ok: boolean
  enforced: boolean
  findings: string[]
  /** The phase the machine was in when the check ran (the event itself does not carry one). */
  phase: StartupState | null
}

export interface ModuleStatus {
  seq: number
  module: string
  chain: string[]
  status: 'loaded' | 'failed'
  error: ErrorInfo | null
}

export interface ManagerView {
  manager_id: string
  mode: 'isolated' | 'shared'
  context: ContextIds | null
  caller: string
  createdSeq: number
  /** connection_id -> user_id of every connection attached to this manager. */
  connections: Record<string, string>
  emitted: number
  delivered: number
}

export interface RejectedCall {
  seq: number
  ts: number
  caller: string
  call: string
  error: ErrorInfo
}

export interface LatencyStats {
  count: number
  last: number
  total: number
  max: number
}

export interface UserView {
  user_id: string
  context: ContextIds | null
  connection_id: string | null
  manager_id: string | null
  connected: boolean
  disconnect: { code: number; reason: string } | null
  /** The runtime stopped sending to this user because it stopped reading (user_cut_off). */
  cutOff: { seq: number; code: number; reason: string; bufferedBytes: number } | null
  /** Order of first appearance, used to keep lanes stable and to forget the oldest disconnected users. */
  order: number
  runsStarted: number
  runsCompleted: number
  delivered: number
  deliveredByType: Record<AgentEventType, number>
  /** isolation_violation events where this user was the receiver. */
  violationsReceived: number
  /** isolation_violation events where this user's events reached someone else. */
  violationsLeaked: number
  missingReports: number
  /** Delivery latency of single events (latency_ms as reported by the runtime). */
  deliveryLatency: LatencyStats
  /** Emission of agent_started to delivery of agent_completed, per run, as this user saw it. */
  runLatency: LatencyStats
  /** run_id -> time agent_started was emitted, for runs still waiting for agent_completed. */
  openRuns: Record<string, number>
  /** Target mode: frames this user received carrying another user's canary marker (canary_leak). */
  canaryLeaksReceived: number
  /** Whose canaries reached this user, and how often; replaced, never mutated, so clones can share it. */
  canaryFrom: Readonly<Record<string, number>>
  /** Target mode: frames to this user that were not JSON or had no readable type. */
  unparsedFrames: number
  /** Target mode: expected events to this user whose owner ids could not be read. */
  unreadableOwners: number
  /** The canary leak just reported to this user; the delivery of the same frame, if it follows, is marked. */
  pendingCanary: PendingCanary | null
  /** Observe mode: frames this user received that belong to another user, by owner id or canary (observed_leak). */
  observedLeaksReceived: number
  /** Observe mode: whose frames reached this user, and how often; replaced, never mutated. */
  leakFrom: Readonly<Record<string, number>>
  /** Observe mode: client -> server frames this user's client sent (received frames count in `delivered`). */
  framesSent: number
}

export interface PendingCanary {
  owners: string[]
  frameType: string | null
  runId: string | null
}

/** A lane's row: an agent event delivered to the user, or (observe mode) a frame the user's client received. */
export type LaneEntry = AgentLaneEntry | FrameLaneEntry

export interface AgentLaneEntry {
  kind: 'agent'
  seq: number
  ts: number
  event_id: string
  type: AgentEventType
  run_id: string
  owner_user_id: string
  latency_ms: number
  /** True when the event belongs to another user: it reached the wrong lane. */
  violation: boolean
  /** Target mode: users whose canary marker the frame carried, even when its ids name this lane's user. */
  canary: readonly string[] | null
}

/**
 * Observe mode: a server -> client frame this user's client received (observed_frame), or, when the stream no
 * longer holds that frame, the leak reported of it (observed_leak; `bytes` null).
 */
export interface FrameLaneEntry {
  kind: 'frame'
  seq: number
  ts: number
  connection_id: string
  /** The frame's real size; null for a leak row whose frame the stream does not hold. */
  bytes: number | null
  binary: boolean
  /** The start of the frame's text (LIMITS.frameExcerpt characters); empty for a binary frame. */
  excerpt: string
  /** The observed user the frame's owner id names (observed_frame's owner_user_id); null: none read. */
  owner: string | null
  /** Users whose frame this is, by owner id or canary (its observed_leak events); empty: none reported. */
  owners: readonly string[]
  /** observed_leak events folded into this row (they follow their frame in the stream). */
  leaks: number
  /** The last event folded into this row (the frame, or its newest leak): a leak right after it is this frame's. */
  lastSeq: number
  /** True when the frame belongs to another user: it reached the wrong lane. */
  violation: boolean
}

export interface LaneSummary {
  /** Entries folded out of the ring, with what they were. */
  folded: number
  foldedByType: Record<AgentEventType, number>
  /** Folded entries that were violations or carried another user's canary. */
  foldedViolations: number
  /**
   * This user's events the server summarised instead of sending (web mode, a tab that fell behind): counted in the
   * user's figures, never shown as rows.
   */
  summarised: number
}

export interface Lane {
  user_id: string
  entries: Ring<LaneEntry>
  summary: LaneSummary
}

export type Violation = InspectionEventOf<'isolation_violation'>
export type MissingReport = InspectionEventOf<'events_missing'> | InspectionEventOf<'events_out_of_order'>
export type WarningReport = InspectionEventOf<'warning'>
export type ScenarioStep = InspectionEventOf<'scenario_step'>
export type CanaryLeak = InspectionEventOf<'canary_leak'>
export type UnparsedFrame = InspectionEventOf<'target_frame_unparsed'>
export type UnreadableOwner = InspectionEventOf<'target_owner_unreadable'>

/** A target run's header (target_started): which backend, and the backend's name for each expected role. */
export interface TargetInfo {
  seq: number
  url: string
  users: number
  runs: number
  expected: AgentEventType[]
  typeNames: Partial<Record<AgentEventType, string>>
  /** This run's isolation violations and canary leaks (the top bar's figures for it, apart from the runtime's). */
  violations: number
  canaryLeaks: number
}

/** Observe mode: one relayed connection, who it was attributed to and by which rule, and whether it is open. */
export interface ObservedConnectionView {
  connection_id: string
  /** null: no rule named a user (`problems` says why). */
  user_id: string | null
  rule: string | null
  problems: string[]
  url: string
  close: { code: number; reason: string; closedBy: 'client' | 'server' | 'proxy' } | null
}

/** Observe mode: the observation the stream carries (from its observe_started on). Replaced, never mutated. */
export interface ObservationView {
  seq: number
  source: string
  rules: string[]
  ownerIds: string[]
  /** Oldest first, at most LIMITS.observedConnections. */
  connections: ObservedConnectionView[]
  /** Every connection seen, listed or not. */
  connectionsSeen: number
  leaks: { total: number; recent: ObservedLeak[] }
}
export type ObservedLeak = InspectionEventOf<'observed_leak'>

export interface ErrorReport {
  seq: number
  ts: number
  source: 'phase_failed' | 'module_failed' | 'manager_rejected' | 'frame_rejected'
  message: string
  chain: string[]
}

export interface InspectorState {
  machine: MachineGraph | null
  faults: FaultName[]
  lastSeq: number
  eventCount: number
  laneCapacity: number
  phase: {
    current: StartupState | null
    history: Ring<PhaseStep>
    failure: PhaseFailure | null
  }
  contracts: Partial<Record<ContractName, ContractResult>>
  modules: Record<string, ModuleStatus>
  factory: {
    managers: Record<string, ManagerView>
    created: number
    closed: number
    rejected: number
    rejections: Ring<RejectedCall>
  }
  users: Record<string, UserView>
  userOrder: number
  lanes: Record<string, Lane>
  violations: { total: number; recent: Ring<Violation> }
  missing: { total: number; recent: Ring<MissingReport> }
  warnings: { total: number; recent: Ring<WarningReport> }
  errors: { total: number; recent: Ring<ErrorReport> }
  scenarioSteps: Ring<ScenarioStep>
  /** Set by target_started: the stream is a target run, not the embedded runtime. */
  target: TargetInfo | null
  canaryLeaks: { total: number; recent: Ring<CanaryLeak> }
  unparsedFrames: { total: number; recent: Ring<UnparsedFrame> }
  unreadableOwners: { total: number; recent: Ring<UnreadableOwner> }
  /** Set by observe_started: observe mode's connections and leaks (the lanes are in users and lanes). */
  observation: ObservationView | null
}

export function emptyByType(): Record<AgentEventType, number> {
  return { agent_started: 0, agent_thinking: 0, tool_executing: 0, tool_completed: 0, agent_completed: 0 }
}

export function emptyLatency(): LatencyStats {
  return { count: 0, last: 0, total: 0, max: 0 }
}

export function createInitialState(laneCapacity: number = LIMITS.defaultLaneCapacity): InspectorState {
  return {
    machine: null,
    faults: [],
    lastSeq: -1,
    eventCount: 0,
    laneCapacity,
    phase: { current: null, history: createRing(LIMITS.phaseHistory), failure: null },
    contracts: {},
    modules: {},
    factory: { managers: {}, created: 0, closed: 0, rejected: 0, rejections: createRing(LIMITS.recent) },
    users: {},
    userOrder: 0,
    lanes: {},
    violations: { total: 0, recent: createRing(LIMITS.recent) },
    missing: { total: 0, recent: createRing(LIMITS.recent) },
    warnings: { total: 0, recent: createRing(LIMITS.recent) },
    errors: { total: 0, recent: createRing(LIMITS.recent) },
    scenarioSteps: createRing(LIMITS.recent),
    target: null,
    canaryLeaks: { total: 0, recent: createRing(LIMITS.recent) },
    unparsedFrames: { total: 0, recent: createRing(LIMITS.recent) },
    unreadableOwners: { total: 0, recent: createRing(LIMITS.recent) },
    observation: null
  }
}
