import type { RunOutcome, WhyBinding } from '../../../../shared/scenarioResult'

export interface RunFailure {
  /** What showed the failure: start-up, a refused run or user, leaked events, missing events, a timeout. */
  source: 'startup' | 'test_failed' | 'run_refused' | 'user_refused' | 'leak' | 'missing' | 'timeout'
  /** The machine state it happened in: the failed phase, or `ready` for failures at run time. */
  phase: string
  message: string
  site: string | null
  chain: string[]
}

/** The one failure a run shows first, the way its report would name it; null when the run shows none. */
export function failureOf(run: RunOutcome): RunFailure | null {
  const { startup } = run
  if (startup.state === 'failed') {
    const error = startup.error
    const moduleChain = run.modules.failures[0]?.chain ?? []
    return {
      source: 'startup',
      phase: startup.failedPhase ?? 'failed',
      message: error === null ? 'start-up failed' : `${error.type}: ${error.message}`,
      site: error?.site ?? null,
      chain: error?.chain ?? moduleChain
    }
  }
  const atRuntime = { phase: 'ready', site: null, chain: [] }
  // A test run in its per-test fixture once the runtime was ready (seed 001's fixture with the wrong class).
  const failedTest = run.testsRun?.find((test) => !test.passed)
  if (failedTest !== undefined) {
    return { ...atRuntime, source: 'test_failed', message: `${failedTest.name}: ${failedTest.detail}` }
  }
  const refusedRun = run.runs.refused[0]
  if (refusedRun !== undefined) {
    const more = run.runs.refused.length > 1 ? ` (${run.runs.refused.length} runs refused)` : ''
    return { ...atRuntime, source: 'run_refused', message: `${refusedRun.message}${more}` }
  }
  const refusedUser = run.users.refused[0]
  if (refusedUser !== undefined) {
    return { ...atRuntime, source: 'user_refused', message: `${refusedUser.user_id}: ${refusedUser.message}` }
  }
  if (run.tally.leaks > 0) {
    return { ...atRuntime, source: 'leak', message: `${run.tally.leaks} events reached the wrong user` }
  }
  if (run.tally.runsMissingEvents > 0) {
    const { runsMissingEvents: runs, eventsMissing: events } = run.tally
    return {
      ...atRuntime,
      source: 'missing',
      message: `${runs} run(s) completed with ${events} events missing`
    }
  }
  if (run.runs.timedOut) return { ...atRuntime, source: 'timeout', message: 'a step timed out' }
  return null
}

/** The whys whose evidence is this step of this run. */
export function whysAt(whys: readonly WhyBinding[], run: string, seq: number | undefined): number[] {
  if (seq === undefined) return []
  return whys.filter((why) => why.run === run && why.seq === seq).map((why) => why.index)
}

export function downloadName(id: string): string {
  return `${id}-report.md`
}
