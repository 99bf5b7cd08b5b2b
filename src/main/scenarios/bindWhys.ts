import type { InspectionEvent } from '../../shared/inspection'
import type { Scenario, Why } from '../../shared/scenario'
import type { RunOutcome, WhyBinding } from '../../shared/scenarioResult'
import { describeMatch, findEvents, valueAt } from './traceQuery'

/**
 * Binds each why to the trace step that proves it, then checks that the step tells its run from the other one.
 * A why whose run was made but whose evidence matches nothing is an error in the scenario: its claim is not shown
 * by what the runtime did. So is evidence that the other run shows just as well (a phase reaching ready, a module
 * loading, a user connecting): it proves nothing about the failure or its fix.
 */
export function bindWhys(scenario: Scenario, runs: readonly RunOutcome[]): WhyBinding[] {
  return scenario.whys.map((why, index) => {
    const base = { index: index + 1, question: why.question, answer: why.answer, run: why.evidence.run }
    const run = runs.find((candidate) => candidate.run === why.evidence.run)
    if (!run) return { ...base, seq: null, problem: null }
    const event = pick(findEvents(run.trace, why.evidence.match), why.evidence.occurrence)
    if (!event) {
      const found = findEvents(run.trace, why.evidence.match)
      const occurrence = why.evidence.occurrence
      const which = typeof occurrence === 'number' ? `occurrence ${occurrence} of ` : ''
      return {
        ...base,
        seq: null,
        problem:
          `why ${index + 1} is not bound: no ${which}${describeMatch(why.evidence.match)} in the ${why.evidence.run} trace ` +
          `(${found.length} matching). Fix whys[${index}].evidence.match so it names a step of that trace.`
      }
    }
    const otherName = otherRunOf(why)
    const other = runs.find((candidate) => candidate.run === otherName)
    if (!other) return { ...base, seq: event.seq, problem: null }
    const counterpart = matchInOther(why, event, other.trace)
    return {
      ...base,
      seq: event.seq,
      contrast: { run: otherName, seq: counterpart?.seq ?? null },
      problem: counterpart ? sameInBoth(index, why, event, otherName, counterpart) : null
    }
  })
}

function pick(found: readonly InspectionEvent[], occurrence: Why['evidence']['occurrence']) {
  return occurrence === 'first' ? found[0] : occurrence === 'last' ? found.at(-1) : found[occurrence - 1]
}

/** The run a why's evidence must be absent from: the fix for a failing run, the failure for the fix. */
export function otherRunOf(why: Why): string {
  if (why.evidence.contrast?.run) return why.evidence.contrast.run
  return why.evidence.run === 'fixed' ? 'failure' : 'fixed'
}

/**
 * The step of the other run that shows the same thing, or undefined when none does. Without a declared contrast
 * any matching event counts; with `differs`, only the same occurrence whose named fields are all equal.
 */
function matchInOther(
  why: Why,
  event: InspectionEvent,
  otherTrace: readonly InspectionEvent[]
): InspectionEvent | undefined {
  const found = findEvents(otherTrace, why.evidence.match)
  const differs = why.evidence.contrast?.differs
  if (!differs) return found[0]
  const counterpart = pick(found, why.evidence.occurrence)
  if (!counterpart) return undefined
  const same = differs.every(
    (path) => JSON.stringify(valueAt(counterpart, path)) === JSON.stringify(valueAt(event, path))
  )
  return same ? counterpart : undefined
}

function sameInBoth(
  index: number,
  why: Why,
  event: InspectionEvent,
  otherName: string,
  counterpart: InspectionEvent
): string {
  const differs = why.evidence.contrast?.differs
  const what = differs
    ? `its step (${event.seq}) and the same occurrence in the ${otherName} trace, step ${counterpart.seq}, agree on ${differs.join(', ')}`
    : `${describeMatch(why.evidence.match)} also matches step ${counterpart.seq} of the ${otherName} trace (${counterpart.kind})`
  return (
    `why ${index + 1} does not tell the runs apart: ${what}, so it holds in both. ` +
    `Bind whys[${index}].evidence to a step only the ${why.evidence.run} run has, or declare evidence.contrast.differs.`
  )
}
