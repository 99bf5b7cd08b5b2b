import { beforeAll, describe, expect, it } from 'vitest'
import type { InspectionEvent } from '../../src/shared/inspection'
import type { RunOutcome, ScenarioRunResult } from '../../src/shared/scenario'
import { findBuiltinScenario } from '../../src/main/scenarios/builtinScenarios'
import { runScenario } from '../../src/main/scenarios/runScenario'

const results = new Map<string, ScenarioRunResult>()
const run = (id: string, name: string): RunOutcome => {
  const outcome = results.get(id)?.runs.find((candidate) => candidate.run === name)
  if (!outcome) throw new Error(`no ${name} run of ${id}`)
  return outcome
}
const ofKind = <K extends InspectionEvent['kind']>(trace: readonly InspectionEvent[], kind: K) =>
  trace.filter((event): event is Extract<InspectionEvent, { kind: K }> => event.kind === kind)
const readySeq = (trace: readonly InspectionEvent[]): number =>
  trace.find((event) => event.kind === 'phase_transition' && event.to === 'ready')!.seq

beforeAll(async () => {
  for (const id of [
    'import-time-factory-call',
    'import-time-manager-in-tests',
    'legacy-startup-singletons',
    'keyword-mismatch',
    'cross-user-leak'
  ])
    results.set(id, await runScenario(findBuiltinScenario(id)!))
}, 120_000)

describe('the fixed runs, as the reports made them', () => {
  it("000: the failing chain passes through the wrapper's __init__.py:50 call", () => {
    const failed = ofKind(run('import-time-factory-call', 'failure').trace, 'module_failed')
    expect(failed).toHaveLength(3)
    for (const event of failed)
      expect(event.chain.slice(-4)).toEqual([
        'agent_service_factory.py:14',
        'manager = get_websocket_manager()',
        '__init__.py:50',
        'create_websocket_manager(None)'
      ])
  })

  it('001: a per-test fixture creates each manager when its test runs, with its context, and closes it after', () => {
    const fixed = run('import-time-manager-in-tests', 'fixed')
    const ready = readySeq(fixed.trace)
    // Seed 000's test_no_import_time_websocket_creation holds.
    expect(ofKind(fixed.trace, 'manager_created').filter((event) => event.seq < ready)).toEqual([])
    expect(fixed.testsRun?.map((test) => [test.name, test.passed])).toEqual([
      ['test_user_joins_thread_room_on_message', true],
      ['test_thread_messages_reach_room', true],
      ['test_thread_switch_keeps_room', true],
      ['test_pipeline_routes_message_to_thread', true],
      ['test_pipeline_drops_unknown_thread', true]
    ])
    const labels = fixed.trace.map((event) =>
      event.kind === 'scenario_step'
        ? event.label.split(':')[0]
        : event.kind === 'manager_created'
          ? `created for ${event.context?.user_id}`
          : event.kind === 'manager_closed'
            ? 'closed'
            : null
    )
    const lifecycle = labels.filter(
      (label): label is string =>
        typeof label === 'string' && !label.startsWith('fixed') && !/connects|leaves/.test(label)
    )
    expect(lifecycle.slice(0, 5)).toEqual([
      'test test_user_joins_thread_room_on_message starts',
      'created for test-user-123',
      'test test_user_joins_thread_room_on_message runs with its own manager',
      'closed',
      'test test_user_joins_thread_room_on_message passed'
    ])
    const variant = run('import-time-manager-in-tests', 'models-path-context')
    expect(variant.startup.state).toBe('ready')
    expect(variant.testsRun?.find((test) => !test.passed)).toEqual({
      name: 'test_user_joins_thread_room_on_message',
      fixture: 'websocket_manager',
      passed: false,
      detail:
        'error in setup of fixture websocket_manager: ValueError: user_context must be a UserExecutionContext instance'
    })
  })

  it('002: the validation is a READINESS step that raises RuntimeError without a factory; deferred factories create on first use', () => {
    const fixed = run('legacy-startup-singletons', 'fixed')
    const calls = ofKind(fixed.trace, 'backend_call')
    const check = calls.find((event) => event.op === 'get_websocket_manager_factory')!
    const readiness = fixed.trace.find(
      (event) => event.kind === 'phase_transition' && event.to === 'readiness'
    )!
    expect(check.seq).toBeGreaterThan(readiness.seq)
    expect(calls.filter((event) => event.op === 'defer').map((event) => event.site)).toEqual([
      'unified_init.py:87',
      'unified_init.py:72',
      'unified_init.py:77'
    ])
    expect(
      calls.filter((event) => event.op === 'deferred_create').map((event) => event.outcome.split(',')[0])
    ).toEqual([
      'created on first use for alice',
      'created on first use for alice',
      'created on first use for alice',
      'created on first use for bob',
      'created on first use for bob',
      'created on first use for bob'
    ])
    const missing = run('legacy-startup-singletons', 'factory-not-registered')
    expect(missing.startup).toMatchObject({
      state: 'failed',
      failedPhase: 'readiness',
      error: {
        type: 'RuntimeError',
        message: 'WebSocket manager factory not available',
        site: 'startup_module.py:899'
      }
    })
    const failure = run('legacy-startup-singletons', 'failure')
    expect(ofKind(failure.trace, 'manager_rejected').map((event) => event.caller)).toEqual([
      'startup_module.py:899',
      'unified_init.py:87',
      'unified_init.py:72',
      'unified_init.py:77'
    ])
  })

  it('003: six call sites fail, each is fixed positionally, and the warnings the report keeps remain', () => {
    const failure = run('keyword-mismatch', 'failure')
    expect(new Set(ofKind(failure.trace, 'manager_rejected').map((event) => event.caller)).size).toBe(6)
    const fixed = run('keyword-mismatch', 'fixed')
    expect(
      ofKind(fixed.trace, 'backend_call')
        .filter((event) => event.op === 'create_websocket_manager')
        .map((event) => event.site)
    ).toEqual([1, 2, 3, 4, 5, 6].map((n) => `agent_handler.py call site ${n}`))
    const codes = new Set(ofKind(fixed.trace, 'warning').map((event) => event.code))
    expect(codes.has('deprecated_context_creation')).toBe(true)
    expect(codes.has('thread_id_mismatch')).toBe(false)
    expect(fixed.tally.warnings).toBeGreaterThan(0)
  })

  it('004: a shared bridge in app.state beside the shared manager; per-user bridges and tool dispatchers in the fix', () => {
    const failure = ofKind(run('cross-user-leak', 'failure').trace, 'backend_call').map((event) => event.op)
    expect(failure).toEqual(['shared_bridge'])
    const fixed = ofKind(run('cross-user-leak', 'fixed').trace, 'backend_call')
    expect(fixed.map((event) => event.outcome)).toEqual([
      'a bridge factory stored in app.state; each user gets a bridge of their own',
      'bridge 1 and tool dispatcher 1 for alice only',
      'bridge 2 and tool dispatcher 2 for bob only',
      'bridge 3 and tool dispatcher 3 for carol only'
    ])
  })
})
