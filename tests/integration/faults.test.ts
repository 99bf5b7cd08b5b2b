import { afterEach, describe, expect, it } from 'vitest'
import { SEED_TEXT } from '../../src/main/runtime/errors'
import { startHarness } from '../helpers/runtimeHarness'

type Harness = Awaited<ReturnType<typeof startHarness>>
let harness: Harness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

describe('shared_singleton_manager: the cross-user leak', () => {
  it("every user receives every other user's events; each leak names owner and receiver; counts match the fan-out", async () => {
    const users = 4
    const runs = 2
    harness = await startHarness({ faults: ['shared_singleton_manager'], seed: 9 })
    const h = harness
    const { connected } = await h.connect(users)
    expect(h.runtime.factory.stats.created).toBe(1)
    h.pool.startRuns(runs)
    const emitted = users * runs * 5
    await h.until('fan-out deliveries', () => h.runtime.auditor.delivered >= emitted * users)
    await h.until('runs', () => h.events('run_completed').length === users * runs)

    expect(h.runtime.auditor.delivered).toBe(emitted * users)
    expect(h.runtime.auditor.violations).toBe(emitted * (users - 1))
    const violations = h.events('isolation_violation')
    expect(violations).toHaveLength(emitted * (users - 1))
    const ids = connected.map((user) => user.user_id)
    for (const receiver of ids) {
      const intoReceiver = violations.filter(
        (event) => event.kind === 'isolation_violation' && event.receiver_user_id === receiver
      )
      expect(intoReceiver).toHaveLength(runs * 5 * (users - 1))
      const owners = new Set(
        intoReceiver.map((event) => event.kind === 'isolation_violation' && event.owner_user_id)
      )
      expect(owners).toEqual(new Set(ids.filter((id) => id !== receiver)))
    }
    const shared = h.events('manager_created')[0]
    expect(shared).toMatchObject({ mode: 'shared', context: null })
  })
})

describe('start-up faults', () => {
  it('import_time_manager: INITIALIZATION fails with the prohibited text and the import chain', async () => {
    harness = await startHarness({ faults: ['import_time_manager'] })
    const { startup } = harness.runtime
    expect(startup.state).toBe('failed')
    expect(startup.failedPhase).toBe('initialization')
    expect(startup.error?.type).toBe('ValueError')
    expect(startup.error?.message).toBe(SEED_TEXT.importTimeProhibited)
    expect(startup.error?.chain?.slice(-2)).toEqual([
      'agent_service_factory.py:14',
      'manager = get_websocket_manager()'
    ])
    expect(harness.events('phase_failed')[0]).toMatchObject({ phase: 'initialization' })
    await expect(harness.connect(1)).resolves.toMatchObject({ connected: [] })
  })

  it('import_time_manager with the migration-era wrapper: the factory rejects None (seed 000 text)', async () => {
    harness = await startHarness({ faults: ['import_time_manager'], legacyWrapper: 'passthrough' })
    expect(harness.runtime.startup.error).toMatchObject({
      type: 'ValueError',
      message: 'user_context must be a UserExecutionContext instance',
      site: 'websocket_manager_factory.py:762'
    })
  })

  it('missing_bridge_fail_fast: CONFIGURATION fails with the ADR error', async () => {
    harness = await startHarness({ faults: ['missing_bridge_fail_fast'] })
    expect(harness.runtime.startup).toMatchObject({
      state: 'failed',
      failedPhase: 'configuration',
      error: { type: 'ExecutionEngineFactoryError', message: SEED_TEXT.engineFactoryRequiresBridge }
    })
    const transitions = harness
      .events('phase_transition')
      .map((event) => event.kind === 'phase_transition' && event.to)
    expect(transitions).toEqual(['idle', 'initialization', 'configuration', 'failed'])
  })

  it('a user cannot connect to a runtime whose start-up failed, and is told why', async () => {
    harness = await startHarness({ faults: ['missing_bridge_fail_fast'] })
    const { failed } = await harness.connect(1)
    expect(failed[0]?.error).toContain('HTTP 503')
    expect(failed[0]?.error).toContain('READINESS')
  })
})

describe('run-time faults', () => {
  it('missing_bridge_legacy: start-up passes with unenforced contract findings; runs complete and no event arrives', async () => {
    harness = await startHarness({ faults: ['missing_bridge_legacy'] })
    const h = harness
    expect(h.runtime.startup.state).toBe('ready')
    const engineCheck = h
      .events('contract_check')
      .find((event) => event.kind === 'contract_check' && event.contract === 'execution_engine_factory')
    expect(engineCheck).toMatchObject({ ok: false, enforced: false })
    await h.connect(3)
    h.pool.startRuns(2)
    await h.until('6 completed runs', () => h.events('run_completed').length === 6)
    h.runtime.auditor.finalize()
    expect(
      h.events('run_completed').every((event) => event.kind === 'run_completed' && event.emitted === 0)
    ).toBe(true)
    expect(h.runtime.auditor.delivered).toBe(0)
    const missing = h.events('events_missing')
    expect(missing).toHaveLength(6)
    expect(missing[0]).toMatchObject({
      received: [],
      missing: ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed']
    })
  })

  it("factory_keyword_mismatch: every start_run fails with CPython's TypeError", async () => {
    harness = await startHarness({ faults: ['factory_keyword_mismatch'] })
    const h = harness
    await h.connect(1)
    h.pool.startRuns(6)
    await h.until('six refusals', () => h.pool.refusedRuns === 6)
    expect(
      h.pool.refusals.every(
        (refusal) => refusal.message === `TypeError: ${SEED_TEXT.unexpectedContextKeyword}`
      )
    ).toBe(true)
    const rejected = h.events('manager_rejected')
    expect(rejected).toHaveLength(6)
    expect(rejected[0]).toMatchObject({
      call: 'create_websocket_manager(context=context)',
      caller: 'agent_handler.py:handle_message'
    })
    expect(h.events('run_started')).toEqual([])
  })

  it('foreign_context_class: the factory refuses the connection with the isinstance error', async () => {
    harness = await startHarness({ faults: ['foreign_context_class'] })
    const { failed } = await harness.connect(1)
    expect(failed[0]?.error).toContain('ValueError: user_context must be a UserExecutionContext instance')
    expect(harness.events('manager_rejected')[0]).toMatchObject({
      caller: 'websocket_endpoint',
      call: 'factory.create_manager(<ModelsUserExecutionContext>)'
    })
    expect(harness.runtime.factory.stats.created).toBe(0)
  })

  it("malformed_ids: seed 003's three warnings appear as warning events", async () => {
    harness = await startHarness({ faults: ['malformed_ids'] })
    const h = harness
    await h.connect(1)
    h.pool.startRuns(1)
    await h.until('a run', () => h.events('run_completed').length === 1)
    const messages = h.events('warning').map((event) => (event.kind === 'warning' ? event.message : ''))
    expect(messages).toContain(SEED_TEXT.deprecatedContextCreation)
    expect(messages.some((message) => message.startsWith(SEED_TEXT.runIdFormat))).toBe(true)
    expect(messages.some((message) => message.startsWith(SEED_TEXT.threadMismatch))).toBe(true)
    // the events still reach their own user: bad ids are a warning, not a leak
    expect(h.runtime.auditor.violations).toBe(0)
  })
})
