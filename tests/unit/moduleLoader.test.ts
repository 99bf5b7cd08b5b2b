import { describe, expect, it } from 'vitest'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { UnifiedIdGenerator } from '../../src/main/runtime/ids/unifiedIdGenerator'
import { runCodeEffect } from '../../src/main/runtime/startup/effectRunner'
import { moduleGraphSchema, type ModuleGraph } from '../../src/main/runtime/startup/moduleGraph'
import { loadModuleGraph } from '../../src/main/runtime/startup/moduleLoader'
import { LegacyWebSocketManagerWrapper } from '../../src/main/runtime/websocket/legacyWrapper'
import { WebSocketManagerFactory } from '../../src/main/runtime/websocket/webSocketManagerFactory'

const seed000Graph: ModuleGraph = moduleGraphSchema.parse({
  modules: [
    { name: 'websocket_core/__init__.py' },
    {
      name: 'agent_service_factory.py',
      imports: ['websocket_core/__init__.py'],
      effects: [
        {
          site: 'agent_service_factory.py:14',
          code: 'manager = get_websocket_manager()',
          call: { op: 'get_websocket_manager' }
        }
      ]
    },
    { name: 'agent_service.py', imports: ['agent_service_factory.py'] },
    { name: 'agents_execute.py', imports: ['agent_service.py'] },
    { name: 'test_agents_execute_decorator.py', imports: ['agents_execute.py'], tests: ['test_a', 'test_b'] },
    { name: 'test_unrelated.py', imports: ['websocket_core/__init__.py'], tests: ['test_c'] }
  ],
  entries: ['test_agents_execute_decorator.py', 'test_unrelated.py']
})

function load(graph: ModuleGraph, mode: 'strict' | 'passthrough') {
  const bus = new InspectionBus()
  const ids = new UnifiedIdGenerator(1)
  const factory = new WebSocketManagerFactory(ids, bus)
  const wrapper = new LegacyWebSocketManagerWrapper(factory, bus, mode)
  const result = loadModuleGraph(
    graph,
    (effect, module) => runCodeEffect(effect, module, { factory, wrapper, ids, bus }),
    bus
  )
  return { result, bus }
}

describe('loadModuleGraph', () => {
  it("reproduces seed 000's import chain, from the test module through the wrapper's __init__.py:50", () => {
    const { result, bus } = load(seed000Graph, 'passthrough')
    expect(result.failures).toHaveLength(1)
    const [failure] = result.failures
    expect(failure?.chain).toEqual([
      'test_agents_execute_decorator.py',
      'agents_execute.py',
      'agent_service.py',
      'agent_service_factory.py:14',
      'manager = get_websocket_manager()',
      '__init__.py:50',
      'create_websocket_manager(None)'
    ])
    expect(failure?.error).toMatchObject({
      type: 'ValueError',
      message: 'user_context must be a UserExecutionContext instance'
    })
    expect(result.testsBlocked).toEqual(['test_a', 'test_b'])
    expect(result.testsCollected).toEqual(['test_c'])
    const failed = bus.snapshot().find((event) => event.kind === 'module_failed')
    expect(failed).toMatchObject({ module: 'test_agents_execute_decorator.py' })
  })

  it('loads every module once when no effect raises', () => {
    const healthy = moduleGraphSchema.parse({
      ...seed000Graph,
      modules: seed000Graph.modules.map((module) => ({ ...module, effects: [] }))
    })
    const { result } = load(healthy, 'strict')
    expect(result.failures).toEqual([])
    expect(new Set(result.loaded).size).toBe(result.loaded.length)
    expect(result.loaded).toHaveLength(6)
    expect(result.testsCollected).toEqual(['test_a', 'test_b', 'test_c'])
  })

  it('refuses a graph that imports a module it does not define, naming the path', () => {
    const broken = moduleGraphSchema.safeParse({
      modules: [{ name: 'a.py', imports: ['missing.py'] }],
      entries: ['a.py']
    })
    expect(broken.success).toBe(false)
    expect(broken.error?.issues[0]).toMatchObject({ path: ['modules', 0, 'imports', 0] })
    expect(broken.error?.issues[0]?.message).toContain("imports 'missing.py'")
  })
})
