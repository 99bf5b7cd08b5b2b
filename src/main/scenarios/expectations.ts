import type { InspectionEvent } from '../../shared/inspection'
import type { CountSpec, Expectation } from '../../shared/scenario'
import type { ExpectationResult, RunOutcome } from '../../shared/scenarioResult'
import { describeBounds, latency, usersAtOnce, withinBounds } from './numericExpectations'
import { describeMatch, findEvents, matchesFilter } from './traceQuery'

/** What a run produced that expectations can look at: the trace first, and the counts the trace does not hold. */
export type RunFacts = Pick<RunOutcome, 'startup' | 'modules' | 'runs' | 'checks' | 'trace'> &
  Partial<Pick<RunOutcome, 'testsRun'>>

export function evaluateExpectations(
  expectations: readonly Expectation[],
  facts: RunFacts
): ExpectationResult[] {
  return expectations.map((expectation) => evaluate(expectation, facts))
}

function evaluate(expectation: Expectation, facts: RunFacts): ExpectationResult {
  const partial = evaluateKind(expectation, facts)
  return { label: expectation.label ?? partial.expected, expect: expectation.expect, ...partial }
}

type Judged = Omit<ExpectationResult, 'label' | 'expect'>

function evaluateKind(expectation: Expectation, facts: RunFacts): Judged {
  switch (expectation.expect) {
    case 'startup':
      return startup(expectation, facts)
    case 'events': {
      const found = findEvents(facts.trace, expectation.match)
      return {
        expected: `${describeCount(expectation.count)} ${describeMatch(expectation.match)}`,
        found: `${found.length}`,
        held: countHolds(found.length, expectation.count),
        evidence: found.map((event) => event.seq)
      }
    }
    case 'sequence':
      return sequence(expectation.steps, facts.trace)
    case 'tests':
      return tests(expectation, facts.modules, facts.testsRun ?? [])
    case 'latency':
      return latency(expectation, facts.trace)
    case 'users':
      return usersAtOnce(expectation, facts.trace, countHolds, describeCount)
    case 'checks': {
      const wanted = expectation.pass === 'all' ? facts.checks.map((check) => check.name) : expectation.pass
      const failing = wanted.filter((name) => !facts.checks.find((check) => check.name === name)?.passed)
      const checkSteps = facts.trace.filter(
        (event) =>
          event.kind === 'scenario_step' && wanted.some((name) => event.label.startsWith(`check ${name} `))
      )
      return {
        expected: expectation.pass === 'all' ? 'every check passes' : `checks pass: ${wanted.join(', ')}`,
        found: failing.length === 0 ? `${wanted.length} passed` : `not passed: ${failing.join(', ')}`,
        held: failing.length === 0 && wanted.length > 0,
        evidence: checkSteps.map((event) => event.seq)
      }
    }
    case 'runs':
      return runs(expectation, facts)
  }
}

function startup(expectation: Extract<Expectation, { expect: 'startup' }>, facts: RunFacts): Judged {
  const outcome = facts.startup
  const problems: string[] = []
  if (outcome.state !== expectation.state) problems.push(`state ${outcome.state}`)
  if (expectation.phase && outcome.failedPhase !== expectation.phase)
    problems.push(`failed phase ${outcome.failedPhase ?? 'none'}`)
  const wanted = expectation.error
  const error = outcome.error
  if (wanted) {
    if (!error) problems.push('no error')
    else {
      if (wanted.type !== undefined && error.type !== wanted.type) problems.push(`type ${error.type}`)
      if (wanted.message !== undefined && error.message !== wanted.message)
        problems.push(`message "${error.message}"`)
      if (wanted.site !== undefined && error.site !== wanted.site)
        problems.push(`site ${error.site ?? 'none'}`)
      if (wanted.chain !== undefined && (error.chain ?? []).join(' > ') !== wanted.chain.join(' > ')) {
        problems.push(`chain ${(error.chain ?? []).join(' > ') || 'none'}`)
      }
    }
  }
  const marker =
    outcome.state === 'failed'
      ? facts.trace.find((event) => event.kind === 'phase_failed')
      : facts.trace.find((event) => event.kind === 'phase_transition' && event.to === 'ready')
  const expected = [`start-up ${expectation.state}`]
  if (expectation.phase) expected.push(`in ${expectation.phase.toUpperCase()}`)
  if (wanted?.type || wanted?.message)
    expected.push(`with ${wanted.type ?? 'an error'}${wanted.message ? `: ${wanted.message}` : ''}`)
  if (wanted?.site) expected.push(`at ${wanted.site}`)
  if (wanted?.chain) expected.push(`via ${wanted.chain.join(' > ')}`)
  const actual = [`start-up ${outcome.state}`]
  if (outcome.failedPhase) actual.push(`in ${outcome.failedPhase.toUpperCase()}`)
  if (error) actual.push(`with ${error.type}: ${error.message}`)
  return {
    expected: expected.join(' '),
    found: problems.length === 0 ? actual.join(' ') : `${actual.join(' ')} (differs: ${problems.join('; ')})`,
    held: problems.length === 0,
    evidence: marker ? [marker.seq] : []
  }
}

function sequence(
  steps: Extract<Expectation, { expect: 'sequence' }>['steps'],
  trace: readonly InspectionEvent[]
): Judged {
  const evidence: number[] = []
  let from = 0
  for (const [index, step] of steps.entries()) {
    const candidates = findEvents(trace.slice(from), step)
    const next = candidates[0]
    if (!next) {
      return {
        expected: steps.map((candidate) => describeMatch(candidate)).join(', then '),
        found: `step ${index + 1} (${describeMatch(step)}) not found${index > 0 ? ' after step ' + index : ''}`,
        held: false,
        evidence
      }
    }
    evidence.push(next.seq)
    from = trace.indexOf(next) + 1
  }
  return {
    expected: steps.map((step) => describeMatch(step)).join(', then '),
    found: 'in that order',
    held: true,
    evidence
  }
}

function tests(
  expectation: Extract<Expectation, { expect: 'tests' }>,
  modules: RunFacts['modules'],
  testsRun: NonNullable<RunFacts['testsRun']>
): Judged {
  const ran = {
    passed: testsRun.filter((test) => test.passed).map((test) => test.name),
    failed: testsRun.filter((test) => !test.passed).map((test) => test.name)
  }
  const total = modules.testsBlocked.length + modules.testsCollected.length
  const problems: string[] = []
  const expected: string[] = []
  const judge = (
    what: 'blocked' | 'collected' | 'passed' | 'failed',
    actual: string[],
    spec: 'all' | CountSpec | undefined,
    of: number
  ): void => {
    if (spec === undefined) return
    expected.push(spec === 'all' ? `all tests ${what}` : `${describeCount(spec)} tests ${what}`)
    const holds = spec === 'all' ? of > 0 && actual.length === of : countHolds(actual.length, spec)
    if (!holds) problems.push(`${actual.length} of ${of} ${what}`)
  }
  judge('blocked', modules.testsBlocked, expectation.blocked, total)
  judge('collected', modules.testsCollected, expectation.collected, total)
  judge('passed', ran.passed, expectation.passed, testsRun.length)
  judge('failed', ran.failed, expectation.failed, testsRun.length)
  const named = { blocked: modules.testsBlocked, collected: modules.testsCollected, ...ran }
  for (const [what, names] of Object.entries(expectation.names ?? {}) as Array<
    [keyof typeof named, string[]]
  >) {
    const actual = named[what]
    expected.push(`${what}: ${names.join(', ')}`)
    const absent = names.filter((name) => !actual.includes(name))
    if (absent.length > 0) problems.push(`not ${what}: ${absent.join(', ')}`)
  }
  return {
    expected: expected.join('; ') || 'tests as collected',
    found:
      problems.length === 0
        ? `${modules.testsBlocked.length} blocked, ${modules.testsCollected.length} collected` +
          (testsRun.length > 0 ? `, ${ran.passed.length} of ${testsRun.length} run passed` : '')
        : problems.join('; '),
    held: problems.length === 0,
    evidence: []
  }
}

function runs(expectation: Extract<Expectation, { expect: 'runs' }>, facts: RunFacts): Judged {
  const problems: string[] = []
  const expected: string[] = []
  if (expectation.completed !== undefined) {
    expected.push(`${describeCount(expectation.completed)} runs completed`)
    if (!countHolds(facts.runs.completed, expectation.completed))
      problems.push(`${facts.runs.completed} completed`)
  }
  if (expectation.refused !== undefined) {
    expected.push(`${describeCount(expectation.refused)} runs refused`)
    if (!countHolds(facts.runs.refused.length, expectation.refused))
      problems.push(`${facts.runs.refused.length} refused`)
  }
  if (expectation.refusal !== undefined) {
    const refusal = expectation.refusal
    expected.push(`every refusal says "${refusal}"`)
    const other = facts.runs.refused.find((entry) => !entry.message.includes(refusal))
    if (other) problems.push(`a refusal says "${other.message}"`)
  }
  const evidence = facts.trace
    .filter(
      (event) =>
        matchesFilter(event, {
          kind: 'manager_rejected',
          where: { caller: { startsWith: 'agent_handler.py' } }
        }) || event.kind === 'run_completed'
    )
    .map((event) => event.seq)
  return {
    expected: expected.join('; '),
    found:
      problems.length === 0
        ? `${facts.runs.completed} completed, ${facts.runs.refused.length} refused of ${facts.runs.started}`
        : problems.join('; '),
    held: problems.length === 0,
    evidence
  }
}

export function countHolds(actual: number, spec: CountSpec): boolean {
  if (typeof spec === 'number') return actual === spec
  return withinBounds(actual, spec)
}

export function describeCount(spec: CountSpec): string {
  if (typeof spec === 'number') return `exactly ${spec}`
  if (spec.above === undefined && spec.below === undefined) {
    if (spec.min !== undefined && spec.max !== undefined) return `${spec.min} to ${spec.max}`
    if (spec.min !== undefined) return `at least ${spec.min}`
    if (spec.max !== undefined) return `at most ${spec.max}`
    return 'any number of'
  }
  return describeBounds(spec)
}
