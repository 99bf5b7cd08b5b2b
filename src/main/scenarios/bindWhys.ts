import type { Scenario } from '../../shared/scenario'
import type { RunOutcome, WhyBinding } from '../../shared/scenarioResult'
import { describeMatch, findEvents } from './traceQuery'

/**
 * Binds each why to the trace step that proves it. A why whose run was made but whose evidence matches nothing
 * is an error in the scenario: its claim is not shown by what the runtime did.
 */
export function bindWhys(scenario: Scenario, runs: readonly RunOutcome[]): WhyBinding[] {
  return scenario.whys.map((why, index) => {
    const base = { index: index + 1, question: why.question, answer: why.answer, run: why.evidence.run }
    const run = runs.find((candidate) => candidate.run === why.evidence.run)
    if (!run) return { ...base, seq: null, problem: null }
    const found = findEvents(run.trace, why.evidence.match)
    const occurrence = why.evidence.occurrence
    const event =
      occurrence === 'first' ? found[0] : occurrence === 'last' ? found.at(-1) : found[occurrence - 1]
    if (event) return { ...base, seq: event.seq, problem: null }
    const which = typeof occurrence === 'number' ? `occurrence ${occurrence} of ` : ''
    return {
      ...base,
      seq: null,
      problem:
        `why ${index + 1} is not bound: no ${which}${describeMatch(why.evidence.match)} in the ${why.evidence.run} trace ` +
        `(${found.length} matching). Fix whys[${index}].evidence.match so it names a step of that trace.`
    }
  })
}
