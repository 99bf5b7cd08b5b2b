import type { InspectionEvent } from '../../../shared/inspection'
import type { RunOutcome } from '../../../shared/scenarioResult'

/** Text safe inside a quoted mermaid label or a message: no quotes, semicolons or hashes that end statements. */
const text = (value: string): string =>
  value
    .replace(/"/g, "'")
    .replace(/;/g, ',')
    .replace(/#/g, 'No.')
    .replace(/[\r\n]+/g, ' ')

/**
 * The failing chain as a graph, from the run's own trace: every import or call chain that ended in an error,
 * merged where chains share a prefix, each ending at the error it raised. Null when nothing in the trace failed.
 */
export function chainDiagram(run: RunOutcome): string | null {
  const chains: Array<{ chain: string[]; error: string }> = []
  for (const event of run.trace) {
    if (event.kind === 'module_failed')
      chains.push({ chain: event.chain, error: `${event.error.type}: ${event.error.message}` })
  }
  const failed = run.trace.find((event) => event.kind === 'phase_failed')
  if (chains.length === 0 && failed?.kind === 'phase_failed') {
    chains.push({
      chain: [
        `start-up ${failed.phase.toUpperCase()}`,
        ...(failed.error.chain ?? [failed.error.site ?? 'configuration'])
      ],
      error: `${failed.error.type}: ${failed.error.message}`
    })
  }
  if (chains.length === 0) return null
  const ids = new Map<string, string>()
  const lines = ['graph TD']
  const edges = new Set<string>()
  const node = (label: string, kind: 'step' | 'error'): string => {
    const key = `${kind}:${label}`
    let id = ids.get(key)
    if (!id) {
      id = `${kind === 'error' ? 'E' : 'N'}${ids.size}`
      ids.set(key, id)
      lines.push(`  ${id}["${text(label)}"]`)
      if (kind === 'error') lines.push(`  style ${id} fill:#ff6b6b,color:#000`)
    }
    return id
  }
  for (const { chain, error } of chains) {
    const path = [...chain.map((label) => node(label, 'step')), node(error, 'error')]
    const last = path.at(-2)
    if (last) lines.push(`  style ${last} fill:#ffcc80,color:#000`)
    for (let index = 1; index < path.length; index++) edges.add(`  ${path[index - 1]} --> ${path[index]}`)
  }
  return [...lines, ...edges].join('\n')
}

/**
 * A run as a sequence diagram, drawn step by step from its trace: connections, calls to the factory, runs, the
 * events the bridge sends and who receives them. Long traces are cut after `limit` messages.
 */
export function sequenceDiagram(run: RunOutcome, limit = 60): string {
  const participants = new Map<string, string>()
  const lines: string[] = []
  const who = (name: string): string => {
    let id = participants.get(name)
    if (!id) {
      id = `P${participants.size}`
      participants.set(name, id)
    }
    return id
  }
  const runtime = who('runtime')
  const senders = new Map<string, string>()
  let drawn = 0
  for (const event of run.trace) {
    if (event.kind === 'agent_event_emitted') senders.set(event.event_id, event.manager_id)
    const sender = 'event_id' in event ? (senders.get(event.event_id) ?? 'manager') : 'manager'
    const message = messageFor(event, who, runtime, sender)
    if (!message) continue
    if (drawn === limit) {
      lines.push(
        `  Note over ${runtime}: ... ${run.trace.length - run.trace.indexOf(event)} more trace steps`
      )
      break
    }
    lines.push(...message.map((line) => `  ${line}`))
    drawn += 1
  }
  const header = [...participants].map(([name, id]) => `  participant ${id} as ${text(name)}`)
  return ['sequenceDiagram', ...header, ...lines].join('\n')
}

function messageFor(
  event: InspectionEvent,
  who: (name: string) => string,
  runtime: string,
  sender: string
): string[] | null {
  switch (event.kind) {
    case 'phase_transition':
      return event.to === 'ready' ? [`Note over ${runtime}: start-up ready`] : null
    case 'phase_failed':
      return [
        `Note over ${runtime}: ${event.phase.toUpperCase()} failed - ${text(`${event.error.type}: ${event.error.message}`)}`
      ]
    case 'contract_check':
      return event.ok
        ? null
        : [
            `Note over ${runtime}: contract ${event.contract} broken${event.enforced ? '' : ' (not enforced)'}`
          ]
    case 'manager_created':
      return [
        `${who(event.caller)}->>${who('factory')}: create manager${event.context ? ` for ${text(event.context.user_id)}` : ' (no context)'}`,
        `${who('factory')}-->>${who(event.caller)}: ${event.mode} ${event.manager_id}`
      ]
    case 'manager_rejected':
      return [
        `${who(event.caller)}->>${who('factory')}: ${text(event.call)}`,
        `${who('factory')}--x${who(event.caller)}: ${text(`${event.error.type}: ${event.error.message}`)}`
      ]
    case 'user_connected':
      return [`${who('websocket_endpoint')}-->>${who(event.context.user_id)}: welcome on ${event.manager_id}`]
    case 'run_started':
      return [`${who(event.context.user_id)}->>${who('agent_handler')}: start_run`]
    case 'run_completed':
      return [
        `${who('agent_handler')}-->>${who(event.user_id)}: run completed, ${event.emitted} events emitted`
      ]
    case 'agent_event_emitted':
      return [
        `${who('agent_handler')}->>${who(event.manager_id)}: ${event.type} of ${text(event.user_id)} to ${event.recipients}`
      ]
    case 'isolation_violation':
      return [`Note over ${who(event.receiver_user_id)}: LEAK - ${text(event.owner_user_id)}'s ${event.type}`]
    case 'agent_event_delivered':
      return event.owner_user_id === event.receiver_user_id
        ? [`${who(sender)}-->>${who(event.receiver_user_id)}: ${event.type}`]
        : [`${who(sender)}--x${who(event.receiver_user_id)}: ${event.type} of ${text(event.owner_user_id)}`]
    case 'events_missing':
      return [`Note over ${who(event.user_id)}: missing ${event.missing.length} of 5 events`]
    case 'warning':
      return [`Note over ${who('agent_handler')}: warning - ${text(event.message)}`]
    case 'scenario_step':
      return event.label.startsWith('check ') && !/ (passed|failed): /.test(event.label)
        ? null
        : [`Note over ${runtime}: ${text(event.label)}`]
    default:
      return null
  }
}
