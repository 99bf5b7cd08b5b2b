import type { InspectionEvent } from '../../../shared/inspection'

/** One line per trace event, for reports and the CLI: what happened, with the ids that matter. */
export function describeEvent(event: InspectionEvent): string {
  switch (event.kind) {
    case 'phase_transition':
      return `start-up ${event.from ?? 'begins'} -> ${event.to}`
    case 'phase_failed':
      return `${event.phase.toUpperCase()} failed: ${event.error.type}: ${event.error.message}`
    case 'contract_check':
      return `contract ${event.contract} ${event.ok ? 'holds' : `broken${event.enforced ? '' : ' (not enforced)'}`}`
    case 'module_loaded':
      return `imported ${event.module}`
    case 'module_failed':
      return `import of ${event.module} failed via ${event.chain.join(' > ')}: ${event.error.type}: ${event.error.message}`
    case 'manager_created':
      return `${event.caller} got ${event.mode} manager ${event.manager_id}${event.context ? ` for ${event.context.user_id}` : ' (no context)'}`
    case 'manager_rejected':
      return `${event.caller}: ${event.call} raised ${event.error.type}: ${event.error.message}`
    case 'manager_closed':
      return `manager ${event.manager_id} closed`
    case 'user_connected':
      return `${event.context.user_id} connected on ${event.manager_id}`
    case 'user_disconnected':
      return `${event.user_id} disconnected (${event.code})`
    case 'user_cut_off':
      return `${event.user_id} cut off: ${event.reason}`
    case 'run_started':
      return `${event.context.user_id} run ${event.context.run_id} started`
    case 'run_completed':
      return `${event.user_id} run ${event.run_id} completed, ${event.emitted} events emitted`
    case 'agent_event_emitted':
      return `${event.type} of ${event.user_id} sent via ${event.manager_id} to ${event.recipients} connection(s)`
    case 'agent_event_delivered':
      return `${event.receiver_user_id} received ${event.owner_user_id}'s ${event.type}`
    case 'isolation_violation':
      return `LEAK: ${event.receiver_user_id} received ${event.owner_user_id}'s ${event.type} (${event.event_id})`
    case 'events_missing':
      return `${event.user_id} run ${event.run_id} missed ${event.missing.join(', ')}`
    case 'events_out_of_order':
      return `${event.user_id} run ${event.run_id} got events out of order: ${event.received.join(', ')}`
    case 'warning':
      return `warning ${event.code}: ${event.message}`
    case 'frame_rejected':
      return `frame rejected: ${event.problem}`
    case 'backend_call':
      return `${event.site}: ${event.code} -> ${event.outcome}`
    case 'scenario_step':
      return `[${event.mode}] ${event.label}`
    case 'target_started':
      return `target ${event.url}: ${event.users} users, ${event.runs} runs each, expecting ${event.expected.join(', ')}`
    case 'target_frame_unparsed':
      return `frame to ${event.receiver_user_id} not judged: ${event.problem}`
    case 'target_owner_unreadable':
      return `${event.type} to ${event.receiver_user_id} has no readable owner: ${event.problem}`
    case 'canary_leak': {
      const frame = [event.frame_type, event.run_id].filter((part) => part !== null).join(', ')
      return `LEAK: ${event.receiver_user_id} received a frame carrying ${event.canary_user_id}'s canary${frame ? ` (${frame})` : ''}`
    }
    case 'observed_leak':
      return `LEAK: ${event.receiver_user_id} received a frame of ${event.owner_user_id} (${event.by === 'owner_id' ? `owner id ${event.pointer ?? ''}` : `canary '${event.canary ?? ''}'`})`
    default:
      // Kinds added to the stream later still get a line, if a plain one.
      return (event as { kind: string }).kind
  }
}
