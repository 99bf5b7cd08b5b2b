import type { Check } from '../../shared/scenario'
import type { CheckResult } from '../../shared/scenarioResult'
import { toErrorInfo } from '../runtime/errors'
import type { Runtime } from '../runtime/runtime'
import { runCodeEffect } from '../runtime/startup/effectRunner'
import type { StepMarker } from './driveUsers'

/** Makes each check's call on the real factory and wrapper, as a compliance test would, and judges the result. */
export function runChecks(runtime: Runtime, checks: readonly Check[], step: StepMarker): CheckResult[] {
  const deps = { factory: runtime.factory, wrapper: runtime.wrapper, ids: runtime.ids, bus: runtime.bus }
  return checks.map((check) => {
    step(`check ${check.name}: ${check.effect.code}`)
    let raised: string | null = null
    try {
      runCodeEffect(check.effect, check.effect.site, deps)
    } catch (error) {
      const info = toErrorInfo(error)
      raised = `${info.type}: ${info.message}`
    }
    const result = judge(check, raised)
    step(`check ${check.name} ${result.passed ? 'passed' : 'failed'}: ${result.detail}`)
    return result
  })
}

function judge(check: Check, raised: string | null): CheckResult {
  if (check.expect === 'ok') {
    return raised === null
      ? { name: check.name, passed: true, detail: 'returned without error' }
      : { name: check.name, passed: false, detail: `expected no error, but it raised ${raised}` }
  }
  if (raised === null)
    return { name: check.name, passed: false, detail: 'expected an error, but the call succeeded' }
  if (check.error && !raised.includes(check.error)) {
    return {
      name: check.name,
      passed: false,
      detail: `raised ${raised}, which does not contain "${check.error}"`
    }
  }
  return { name: check.name, passed: true, detail: `raised ${raised}` }
}
