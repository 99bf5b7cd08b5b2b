import { afterEach, describe, expect, it } from 'vitest'
import { Runtime } from '../../src/main/runtime/runtime'
import { PerTestFixture } from '../../src/main/runtime/testing/perTestFixture'

const started: Runtime[] = []
afterEach(async () => {
  for (const runtime of started.splice(0)) await runtime.close()
})

async function readyRuntime(): Promise<Runtime> {
  const runtime = await Runtime.start({ historyLimit: 1_000, historyBytes: 64 * 1024 })
  started.push(runtime)
  expect(runtime.startup.state).toBe('ready')
  return runtime
}

const setup = (context: 'request' | 'models_path') => ({
  site: 'test_x.py (fixture websocket_manager)',
  code: 'return create_websocket_manager(user_context)',
  call: { op: 'create_websocket_manager' as const, style: 'positional' as const, context }
})

describe('a per-test fixture', () => {
  it('creates the manager when the test runs, with the context it builds, and closes it after the test', async () => {
    const runtime = await readyRuntime()
    const fixture = new PerTestFixture('websocket_manager', setup('request'), runtime)
    const before = runtime.factory.stats
    let during: { open: boolean; user: string | null; active: number } | null = null
    const result = fixture.runTest((manager) => {
      during = { open: !manager.isClosed, user: manager.userId, active: runtime.factory.stats.active }
    })
    expect(during).toEqual({ open: true, user: 'test-user-123', active: before.active + 1 })
    expect(result.passed).toBe(true)
    expect(result.detail).toMatch(/^ran with manager \S+ of test-user-123$/)
    expect(runtime.factory.stats).toEqual({
      created: before.created + 1,
      closed: before.closed + 1,
      active: 0
    })
    const kinds = runtime.bus
      .snapshot()
      .filter((event) => event.kind === 'manager_created' || event.kind === 'manager_closed')
    expect(kinds.map((event) => event.kind)).toEqual(['manager_created', 'manager_closed'])
  })

  it('gives each test a manager of its own', async () => {
    const runtime = await readyRuntime()
    const fixture = new PerTestFixture('websocket_manager', setup('request'), runtime)
    const ids: string[] = []
    fixture.runTest((manager) => ids.push(manager.id))
    fixture.runTest((manager) => ids.push(manager.id))
    expect(new Set(ids).size).toBe(2)
  })

  it("errors the test in setup when the factory refuses the fixture's context, leaving nothing open", async () => {
    const runtime = await readyRuntime()
    const fixture = new PerTestFixture('websocket_manager', setup('models_path'), runtime)
    let ran = false
    const result = fixture.runTest(() => {
      ran = true
    })
    expect(ran).toBe(false)
    expect(result).toEqual({
      passed: false,
      detail:
        'error in setup of fixture websocket_manager: ValueError: user_context must be a UserExecutionContext instance'
    })
    expect(runtime.factory.stats.active).toBe(0)
  })
})
