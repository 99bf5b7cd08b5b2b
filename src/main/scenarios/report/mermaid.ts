import type { InspectionEvent } from '../../../shared/inspection'
import type { RunOutcome } from '../../../shared/scenarioResult'

/**
 * Text for a mermaid label, message or note, kept as it is: every character that could end a statement, a label
 * or a message, or be read as markup, becomes mermaid's entity code (`#` is `#35;`), and line breaks a space.
 */
export function mermaidText(value: string): string {
  return value
    .replace(/[\r\n]+/g, ' ')
    .replace(/[#";<>{}[\]()|`]/g, (char) => `#${char.charCodeAt(0)};`)
    .replace(/\.{2,}/g, (dots) => '#46;'.repeat(dots.length))
}

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
      lines.push(`  ${id}["${mermaidText(label)}"]`)
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

/** The handler a caller belongs to: one participant per file, however many of its call sites appear. */
export function handlerOf(caller: string): string {
  return caller.split(/[:\s]/)[0] || caller
}

interface Drawn {
  event: InspectionEvent
  /** When it happened: a delivery when it arrived (its event's emission plus its latency), anything else its ts. */
  at: number
}

/**
 * The trace in the order things happened. Deliveries are recorded once their run settles, sorted for replay; a
 * diagram draws each one when it arrived, and a leak beside the delivery it judged.
 */
export function inRealOrder(trace: readonly InspectionEvent[]): Drawn[] {
  const emittedAt = new Map<string, number>()
  const arrivedAt = new Map<string, number>()
  // A socket delivers in the order it was written to: one receiver's arrivals never overtake each other, even
  // where a millisecond timestamp plus a microsecond latency would say so.
  const lastArrival = new Map<string, number>()
  for (const event of trace) {
    if (event.kind === 'agent_event_emitted') emittedAt.set(event.event_id, event.ts)
    if (event.kind === 'agent_event_delivered') {
      const estimate = (emittedAt.get(event.event_id) ?? event.ts) + event.latency_ms
      const arrival = Math.max(estimate, lastArrival.get(event.receiver_user_id) ?? estimate)
      lastArrival.set(event.receiver_user_id, arrival)
      arrivedAt.set(`${event.event_id}>${event.receiver_user_id}`, arrival)
    }
  }
  const at = (event: InspectionEvent): number => {
    if (event.kind === 'agent_event_delivered' || event.kind === 'isolation_violation')
      return arrivedAt.get(`${event.event_id}>${event.receiver_user_id}`) ?? event.ts
    return event.ts
  }
  return trace
    .map((event, index) => ({ event, at: at(event), index }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map(({ event, at: when }) => ({ event, at: when }))
}

/**
 * A run as a sequence diagram, drawn from its trace in the order things happened: connections, calls to the
 * factory, runs, the events the bridge sends and who receives them. Past `limit` messages the rest is summarised,
 * one note per user, so no user's deliveries or leaks drop out of the picture.
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
  for (const event of run.trace)
    if (event.kind === 'agent_event_emitted') senders.set(event.event_id, event.manager_id)
  const drawable = inRealOrder(run.trace)
    .map(({ event }) => event)
    .filter((event) => messageFor(event, () => '', '', '') !== null)
  const shown = drawable.slice(0, limit)
  for (const event of shown) {
    const sender = 'event_id' in event ? (senders.get(event.event_id) ?? 'manager') : 'manager'
    const message = messageFor(event, who, runtime, sender) ?? []
    lines.push(...message.map((line) => `  ${line}`))
  }
  const rest = drawable.slice(limit)
  if (rest.length > 0) lines.push(...summary(rest, who, runtime).map((line) => `  ${line}`))
  const header = [...participants].map(([name, id]) => `  participant ${id} as ${mermaidText(name)}`)
  return ['sequenceDiagram', ...header, ...lines].join('\n')
}

/** What the messages past the limit show, counted: per user what they received, and what else happened. */
function summary(rest: readonly InspectionEvent[], who: (name: string) => string, runtime: string): string[] {
  const perUser = new Map<string, { own: number; leaked: number; missing: number; runs: number }>()
  const of = (user: string) => {
    let counts = perUser.get(user)
    if (!counts) {
      counts = { own: 0, leaked: 0, missing: 0, runs: 0 }
      perUser.set(user, counts)
    }
    return counts
  }
  let other = 0
  for (const event of rest) {
    if (event.kind === 'agent_event_delivered') {
      const counts = of(event.receiver_user_id)
      if (event.owner_user_id === event.receiver_user_id) counts.own += 1
      else counts.leaked += 1
    } else if (event.kind === 'events_missing') of(event.user_id).missing += 1
    else if (event.kind === 'run_completed') of(event.user_id).runs += 1
    else if (event.kind !== 'isolation_violation') other += 1
  }
  const lines = [`Note over ${runtime}: ${rest.length} more messages, summarised`]
  for (const [user, counts] of perUser) {
    const parts = [
      counts.runs > 0 ? `${counts.runs} run(s) completed` : '',
      counts.own > 0 ? `received ${counts.own} of own events` : '',
      counts.leaked > 0 ? `received ${counts.leaked} of other users' events (LEAK)` : '',
      counts.missing > 0 ? `${counts.missing} run(s) missing events` : ''
    ].filter((part) => part !== '')
    lines.push(`Note over ${who(user)}: then ${mermaidText(parts.join(', '))}`)
  }
  if (other > 0) lines.push(`Note over ${runtime}: and ${other} other steps`)
  return lines
}

function messageFor(
  event: InspectionEvent,
  who: (name: string) => string,
  runtime: string,
  sender: string
): string[] | null {
  const handler = (): string => who('agent_handler.py')
  switch (event.kind) {
    case 'phase_transition':
      return event.to === 'ready' ? [`Note over ${runtime}: start-up ready`] : null
    case 'phase_failed':
      return [
        `Note over ${runtime}: ${event.phase.toUpperCase()} failed - ${mermaidText(`${event.error.type}: ${event.error.message}`)}`
      ]
    case 'contract_check':
      return event.ok
        ? null
        : [
            `Note over ${runtime}: contract ${event.contract} broken${event.enforced ? '' : ' (not enforced)'} - ${mermaidText(event.findings.join(' '))}`
          ]
    case 'manager_created':
      return [
        `${who(handlerOf(event.caller))}->>${who('factory')}: create manager${event.context ? ` for ${mermaidText(event.context.user_id)}` : ' (no context)'}`,
        `${who('factory')}-->>${who(handlerOf(event.caller))}: ${event.mode} ${mermaidText(event.manager_id)}`
      ]
    case 'manager_rejected':
      return [
        `${who(handlerOf(event.caller))}->>${who('factory')}: ${mermaidText(`${event.caller}: ${event.call}`)}`,
        `${who('factory')}--x${who(handlerOf(event.caller))}: ${mermaidText(`${event.error.type}: ${event.error.message}`)}`
      ]
    case 'backend_call':
      return [
        `Note over ${who(handlerOf(event.site))}: ${mermaidText(`${event.site}: ${event.code} - ${event.outcome}`)}`
      ]
    case 'user_connected':
      return [
        `${who('websocket_endpoint')}-->>${who(event.context.user_id)}: welcome on ${mermaidText(event.manager_id)}`
      ]
    case 'run_started':
      return [`${who(event.context.user_id)}->>${handler()}: start_run`]
    case 'run_completed':
      return [`${handler()}-->>${who(event.user_id)}: run completed, ${event.emitted} events emitted`]
    case 'agent_event_emitted':
      return [
        `${handler()}->>${who(event.manager_id)}: ${event.type} of ${mermaidText(event.user_id)} to ${event.recipients}`
      ]
    case 'isolation_violation':
      return [
        `Note over ${who(event.receiver_user_id)}: LEAK - ${mermaidText(`${event.owner_user_id}'s ${event.type}`)}`
      ]
    case 'agent_event_delivered':
      return event.owner_user_id === event.receiver_user_id
        ? [`${who(sender)}-->>${who(event.receiver_user_id)}: ${event.type}`]
        : [
            `${who(sender)}--x${who(event.receiver_user_id)}: ${event.type} of ${mermaidText(event.owner_user_id)}`
          ]
    case 'events_missing':
      return [`Note over ${who(event.user_id)}: missing ${event.missing.length} of 5 events`]
    case 'warning':
      return [`Note over ${handler()}: warning - ${mermaidText(event.message)}`]
    case 'scenario_step':
      return event.label.startsWith('check ') && !/ (passed|failed): /.test(event.label)
        ? null
        : [`Note over ${runtime}: ${mermaidText(event.label)}`]
    default:
      return null
  }
}
