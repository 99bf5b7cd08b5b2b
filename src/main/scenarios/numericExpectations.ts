import type { InspectionEvent } from '../../shared/inspection'
import type { Expectation, MeasureSpec } from '../../shared/scenario'
import type { ExpectationResult } from '../../shared/scenarioResult'

type Partial = Omit<ExpectationResult, 'label' | 'expect'>

/** Whether a number meets its bounds: min and max include the bound, above and below exclude it. */
export function withinBounds(actual: number, spec: MeasureSpec): boolean {
  return (
    (spec.min === undefined || actual >= spec.min) &&
    (spec.max === undefined || actual <= spec.max) &&
    (spec.above === undefined || actual > spec.above) &&
    (spec.below === undefined || actual < spec.below)
  )
}

export function describeBounds(spec: MeasureSpec, unit = ''): string {
  const parts: string[] = []
  if (spec.min !== undefined) parts.push(`at least ${spec.min}${unit}`)
  if (spec.above !== undefined) parts.push(`more than ${spec.above}${unit}`)
  if (spec.max !== undefined) parts.push(`at most ${spec.max}${unit}`)
  if (spec.below !== undefined) parts.push(`less than ${spec.below}${unit}`)
  return parts.join(' and ') || 'any number'
}

/** Nearest-rank percentile of deliveries, with the delivery that gives it (its seq is the evidence). */
function percentileOf(
  deliveries: ReadonlyArray<{ latency: number; seq: number }>,
  percentile: number
): { latency: number; seq: number } {
  const sorted = [...deliveries].sort((a, b) => a.latency - b.latency)
  const rank = Math.max(1, Math.ceil((percentile / 100) * sorted.length))
  return sorted[rank - 1] as { latency: number; seq: number }
}

const ms = (value: number): string => `${Math.round(value * 1000) / 1000} ms`

/** The ADR's "< 500 ms delivery": a latency percentile of every receiving user, or of all deliveries together. */
export function latency(
  expectation: Extract<Expectation, { expect: 'latency' }>,
  trace: readonly InspectionEvent[]
): Partial {
  const groups = new Map<string, Array<{ latency: number; seq: number }>>()
  for (const event of trace) {
    if (event.kind !== 'agent_event_delivered') continue
    const key = expectation.per === 'user' ? event.receiver_user_id : 'all deliveries'
    const group = groups.get(key) ?? []
    group.push({ latency: event.latency_ms, seq: event.seq })
    groups.set(key, group)
  }
  const name = `p${expectation.percentile}`
  const expected = `${name} delivery latency${expectation.per === 'user' ? ' of each user' : ''} ${describeBounds(expectation.ms, ' ms')}`
  if (groups.size === 0) return { expected, found: 'no deliveries', held: false, evidence: [] }
  const measured = [...groups].map(([key, deliveries]) => ({
    key,
    ...percentileOf(deliveries, expectation.percentile)
  }))
  const failing = measured.filter((entry) => !withinBounds(entry.latency, expectation.ms))
  const shown = (failing.length > 0 ? failing : measured).map((entry) => `${entry.key} ${ms(entry.latency)}`)
  return {
    expected,
    found:
      failing.length > 0
        ? `${name} not met by ${failing.length} of ${measured.length}: ${shown.join(', ')}`
        : `${name} ${shown.join(', ')}`,
    held: failing.length === 0,
    evidence: (failing.length > 0 ? failing : measured).map((entry) => entry.seq)
  }
}

/** The ADR's "10+ concurrent users": the most users connected at the same time, from the trace. */
export function usersAtOnce(
  expectation: Extract<Expectation, { expect: 'users' }>,
  trace: readonly InspectionEvent[],
  countHolds: (actual: number, spec: Extract<Expectation, { expect: 'users' }>['connectedAtOnce']) => boolean,
  describeCount: (spec: Extract<Expectation, { expect: 'users' }>['connectedAtOnce']) => string
): Partial {
  const open = new Set<string>()
  let peak = 0
  let peakSeq: number | null = null
  for (const event of trace) {
    if (event.kind === 'user_connected') {
      open.add(event.connection_id)
      if (open.size > peak) {
        peak = open.size
        peakSeq = event.seq
      }
    } else if (event.kind === 'user_disconnected' || event.kind === 'user_cut_off') {
      open.delete(event.connection_id)
    }
  }
  return {
    expected: `${describeCount(expectation.connectedAtOnce)} users connected at once`,
    found: `${peak} at most`,
    held: countHolds(peak, expectation.connectedAtOnce),
    evidence: peakSeq === null ? [] : [peakSeq]
  }
}
