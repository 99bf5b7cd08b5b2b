import type { InspectionEvent } from '../../shared/inspection'
import type { EventFilter, EventMatch, ValueMatcher } from '../../shared/scenario'

/** The value at a dotted path of an event ("error.message", "chain.0"), or undefined. */
export function valueAt(event: InspectionEvent, path: string): unknown {
  let value: unknown = event
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}

export function matchesValue(value: unknown, matcher: ValueMatcher, event: InspectionEvent): boolean {
  if (matcher === null || typeof matcher !== 'object') return value === matcher
  if (Array.isArray(matcher)) {
    return (
      Array.isArray(value) &&
      value.length === matcher.length &&
      matcher.every((item, index) => value[index] === item)
    )
  }
  if ('contains' in matcher) return typeof value === 'string' && value.includes(matcher.contains)
  if ('startsWith' in matcher) return typeof value === 'string' && value.startsWith(matcher.startsWith)
  if ('matches' in matcher) return typeof value === 'string' && new RegExp(matcher.matches).test(value)
  if ('oneOf' in matcher) return matcher.oneOf.some((candidate) => candidate === value)
  if ('not' in matcher) return value !== matcher.not
  if ('includes' in matcher) return Array.isArray(value) && value.includes(matcher.includes)
  return value === valueAt(event, matcher.sameAs)
}

export function matchesFilter(event: InspectionEvent, filter: EventFilter): boolean {
  if (event.kind !== filter.kind) return false
  return Object.entries(filter.where).every(([path, matcher]) =>
    matchesValue(valueAt(event, path), matcher, event)
  )
}

/** Every event of the trace that the match selects, in trace order. */
export function findEvents(trace: readonly InspectionEvent[], match: EventMatch): InspectionEvent[] {
  let from = 0
  let to = trace.length
  if (match.after) {
    const index = trace.findIndex((event) => matchesFilter(event, match.after as EventFilter))
    from = index < 0 ? trace.length : index + 1
  }
  if (match.before) {
    const index = trace.findIndex((event) => matchesFilter(event, match.before as EventFilter))
    if (index >= 0) to = index
  }
  return trace.slice(from, to).filter((event) => matchesFilter(event, match))
}

/** A match in a line of text, for messages: `manager_rejected where caller="agent_service_factory.py:14"`. */
export function describeMatch(match: EventFilter & { after?: EventFilter; before?: EventFilter }): string {
  const where = Object.entries(match.where).map(([path, matcher]) => `${path}${describeMatcher(matcher)}`)
  let text = where.length > 0 ? `${match.kind} where ${where.join(', ')}` : match.kind
  if (match.after) text += ` after the first ${describeMatch(match.after)}`
  if (match.before) text += ` before the first ${describeMatch(match.before)}`
  return text
}

function describeMatcher(matcher: ValueMatcher): string {
  if (matcher === null || typeof matcher !== 'object' || Array.isArray(matcher))
    return `=${JSON.stringify(matcher)}`
  const [operator, operand] = Object.entries(matcher)[0] as [string, unknown]
  return ` ${operator} ${JSON.stringify(operand)}`
}
