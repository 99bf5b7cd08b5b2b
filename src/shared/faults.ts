import { z } from 'zod'

/**
 * Faults the runtime can be started with. Each reproduces one failure of the seeds; none is on by default.
 * The description is what the UI and `--help` show.
 */
export const FAULTS = {
  shared_singleton_manager:
    'getWebSocketManager() hands every user one shared manager (the pre-migration singleton): events fan out to all users.',
  import_time_manager:
    'A module calls the legacy wrapper with no context at import time (agent_service_factory.py:14).',
  factory_keyword_mismatch:
    'The agent handler calls create_websocket_manager(context=context) instead of passing user_context positionally.',
  missing_bridge_fail_fast:
    'ExecutionEngineFactory is configured without an AgentWebSocketBridge and fails fast at start-up.',
  missing_bridge_legacy:
    'ExecutionEngineFactory is configured without a bridge and does not fail fast: runs complete with no events.',
  foreign_context_class:
    'Contexts are built from the models-path UserExecutionContext class, which fails the factory isinstance check.',
  malformed_ids:
    'Contexts are built with uuid4 ids instead of the id generator: run_id format and thread warnings.'
} as const

export type FaultName = keyof typeof FAULTS
export const FAULT_NAMES = Object.keys(FAULTS) as [FaultName, ...FaultName[]]
export const faultNameSchema = z.enum(FAULT_NAMES)
export const faultSetSchema = z.array(faultNameSchema).max(FAULT_NAMES.length)
