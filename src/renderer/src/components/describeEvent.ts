import type { InspectionEvent } from '../../../shared/inspection'

/** One line per inspection event, for timelines and replay positions. */
export function describeEvent(event: InspectionEvent): string {
  switch (event.kind) {
    case 'phase_transition':
      return `${event.from ?? '∅'} → ${event.to}`
    case 'phase_failed':
      return `${event.phase} failed: ${event.error.type}: ${event.error.message}`
    case 'contract_check':
      return `${event.contract} ${event.ok ? 'passes' : 'fails'}${event.findings.length ? `: ${event.findings[0]}` : ''}`
    case 'module_loaded':
      return `imported ${event.module}`
    case 'module_failed':
      return `import of ${event.module} failed: ${event.error.type}: ${event.error.message}`
    case 'manager_created':
      return `${event.mode} manager ${event.manager_id} for ${event.context?.user_id ?? 'no context'} (${event.caller})`
    case 'manager_rejected':
      return `${event.caller}: ${event.call} raised ${event.error.type}: ${event.error.message}`
    case 'manager_closed':
      return `manager ${event.manager_id} closed`
    case 'user_connected':
      return `${event.context.user_id} connected to ${event.manager_id}`
    case 'user_disconnected':
      return `${event.user_id} disconnected (${event.code}${event.reason ? ` ${event.reason}` : ''})`
    case 'user_cut_off':
      return `${event.user_id} cut off (${event.code} ${event.reason}, ${event.buffered_bytes} bytes unread)`
    case 'run_started':
      return `${event.context.user_id} started ${event.context.run_id}`
    case 'run_completed':
      return `${event.user_id} completed ${event.run_id} (${event.emitted} events)`
    case 'agent_event_emitted':
      return `${event.type} emitted for ${event.user_id} to ${event.recipients} recipient(s)`
    case 'agent_event_delivered':
      return event.owner_user_id === event.receiver_user_id
        ? `${event.type} delivered to ${event.receiver_user_id}`
        : `${event.type} of ${event.owner_user_id} delivered to ${event.receiver_user_id}`
    case 'isolation_violation':
      return `VIOLATION: ${event.type} of ${event.owner_user_id} reached ${event.receiver_user_id}`
    case 'events_missing':
      return `${event.user_id} ${event.run_id}: missing ${event.missing.join(', ')}`
    case 'events_out_of_order':
      return `${event.user_id} ${event.run_id}: out of order ${event.received.join(' → ')}`
    case 'warning':
      return `warning ${event.code}: ${event.message}`
    case 'frame_rejected':
      return `frame from ${event.user_id ?? event.connection_id} rejected: ${event.problem}`
    case 'scenario_step':
      return event.label
    case 'target_started':
      return `target ${event.url}: ${event.users} users × ${event.runs} runs`
    case 'target_frame_unparsed':
      return `unreadable frame to ${event.receiver_user_id}: ${event.problem}`
    case 'target_owner_unreadable':
      return `${event.type} to ${event.receiver_user_id} has no readable owner: ${event.problem}`
    case 'canary_leak':
      return `CANARY LEAK: ${event.canary_user_id}'s marker reached ${event.receiver_user_id}`
    case 'observe_started':
      return `observing ${event.source} (${event.rules.join(', ')})`
    case 'observed_connection':
      return `${event.connection_id} ${event.url}: ${event.user_id ?? 'unattributed'}${event.rule ? ` by ${event.rule}` : ''}`
    case 'observed_frame':
      return `${event.connection_id} ${event.direction === 'client_to_server' ? '→' : '←'} ${event.user_id ?? 'unattributed'}: ${event.bytes} bytes${event.binary ? ' binary' : ''}`
    case 'observed_closed':
      return `${event.connection_id} ${event.user_id ?? 'unattributed'} closed ${event.code} by ${event.closed_by}${event.reason ? `: ${event.reason}` : ''}`
    case 'observed_leak':
      return `LEAK: ${event.receiver_user_id} received a frame of ${event.owner_user_id} (${event.by === 'owner_id' ? `owner id ${event.pointer ?? ''}` : `canary '${event.canary ?? ''}'`})`
    default:
      return generic(event)
  }
}

/** Kinds this UI does not know yet (a newer runtime): their kind and their scalar fields. */
function generic(event: { kind: string }): string {
  const fields = Object.entries(event)
    .filter(([key, value]) => !['kind', 'seq', 'ts'].includes(key) && typeof value !== 'object')
    .map(([key, value]) => `${key}=${String(value)}`)
  return [event.kind, ...fields].join(' ')
}

/** Kinds drawn as bad news in timelines. */
export function isBadEvent(event: InspectionEvent): boolean {
  return (
    event.kind === 'phase_failed' ||
    event.kind === 'module_failed' ||
    event.kind === 'manager_rejected' ||
    event.kind === 'isolation_violation' ||
    event.kind === 'events_missing' ||
    event.kind === 'events_out_of_order' ||
    event.kind === 'frame_rejected' ||
    event.kind === 'user_cut_off' ||
    event.kind === 'canary_leak' ||
    event.kind === 'observed_leak' ||
    event.kind === 'target_owner_unreadable' ||
    (event.kind === 'contract_check' && !event.ok) ||
    (event.kind === 'phase_transition' && event.to === 'failed') ||
    (event.kind === 'agent_event_delivered' && event.owner_user_id !== event.receiver_user_id)
  )
}
