import { describe, expect, it } from 'vitest'
import type { InspectionEvent } from '../../src/shared/inspection'
import { ModelsUserExecutionContext } from '../../src/main/runtime/context/modelsUserExecutionContext'
import { UserExecutionContext } from '../../src/main/runtime/context/userExecutionContext'
import { SEED_TEXT } from '../../src/main/runtime/errors'
import { UnifiedIdGenerator } from '../../src/main/runtime/ids/unifiedIdGenerator'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import {
  LegacyWebSocketManagerWrapper,
  type LegacyWrapperMode
} from '../../src/main/runtime/websocket/legacyWrapper'
import { WebSocketManagerFactory } from '../../src/main/runtime/websocket/webSocketManagerFactory'

function setup(mode: LegacyWrapperMode = 'strict') {
  const bus = new InspectionBus()
  const ids = new UnifiedIdGenerator(1)
  const factory = new WebSocketManagerFactory(ids, bus)
  const wrapper = new LegacyWebSocketManagerWrapper(factory, bus, mode)
  const context = (userId: string) => {
    const thread = ids.threadId()
    return { user_id: userId, thread_id: thread, run_id: ids.runId(thread), request_id: ids.requestId() }
  }
  const kinds = (kind: InspectionEvent['kind']) => bus.snapshot().filter((event) => event.kind === kind)
  return { bus, factory, wrapper, context, kinds }
}

describe('WebSocketManagerFactory.createManager', () => {
  it('creates one manager per user context, bound to it', () => {
    const { factory, context } = setup()
    const alice = UserExecutionContext.fromRequest(context('alice'))
    const manager = factory.createManager(alice, 'test')
    expect(manager.mode).toBe('isolated')
    expect(manager.context).toBe(alice)
    expect(factory.createManager(UserExecutionContext.fromRequest(context('alice')), 'test')).toBe(manager)
    expect(factory.createManager(UserExecutionContext.fromRequest(context('bob')), 'test')).not.toBe(manager)
    expect(factory.stats).toEqual({ created: 2, closed: 0, active: 2 })
  })

  it.each([
    ['None', null],
    ['a plain object of the same shape', { user_id: 'u', thread_id: 't', run_id: 'r', request_id: 'q' }],
    ['a string', 'alice']
  ])('rejects %s with the seed 000 error', (_label, value) => {
    const { factory, kinds } = setup()
    expect(() => factory.createManager(value, 'test')).toThrow(SEED_TEXT.factoryRequiresContext)
    const [rejected] = kinds('manager_rejected')
    expect(rejected).toMatchObject({
      error: { type: 'ValueError', site: 'websocket_manager_factory.py:762' }
    })
    expect(factory.stats.created).toBe(0)
  })

  it('rejects a context of the same shape from the models module (seed 001, second failure)', () => {
    const { factory, context } = setup()
    const foreign = new ModelsUserExecutionContext(context('alice'))
    expect(foreign.toIds()).toEqual(expect.objectContaining({ user_id: 'alice' }))
    expect(() => factory.createManager(foreign, 'fixture')).toThrow(
      'user_context must be a UserExecutionContext instance'
    )
  })

  it('counts closes so that created equals closed once every manager is closed', () => {
    const { factory, context, kinds } = setup()
    const managers = ['a', 'b', 'c'].map((user) =>
      factory.createManager(UserExecutionContext.fromRequest(context(user)), 't')
    )
    factory.close(managers[0]!)
    factory.close(managers[0]!)
    factory.closeAll()
    expect(factory.stats).toEqual({ created: 3, closed: 3, active: 0 })
    expect(kinds('manager_closed')).toHaveLength(3)
  })
})

describe('the legacy wrapper get_websocket_manager()', () => {
  it('strict: refuses a call without a context with the import-time text (seeds 001/002)', () => {
    const { wrapper, kinds } = setup('strict')
    expect(() => wrapper.getWebSocketManager(undefined, 'agent_service_factory.py:14')).toThrow(
      'WebSocket manager creation requires valid UserExecutionContext. Import-time initialization is prohibited. ' +
        'Use request-scoped factory pattern instead. See User Context Architecture documentation for proper implementation.'
    )
    expect(kinds('manager_rejected')[0]).toMatchObject({
      call: 'get_websocket_manager()',
      caller: 'agent_service_factory.py:14'
    })
  })

  it('passthrough: forwards None to the factory, which rejects it (seed 000)', () => {
    const { wrapper, kinds } = setup('passthrough')
    expect(() => wrapper.getWebSocketManager(undefined, 'agent_service_factory.py:14')).toThrow(
      SEED_TEXT.factoryRequiresContext
    )
    expect(kinds('manager_rejected')[0]).toMatchObject({ call: 'factory.create_manager(None)' })
  })

  it('singleton: hands every caller the one shared manager, whatever the context', () => {
    const { wrapper, factory, context } = setup('singleton')
    const first = wrapper.getWebSocketManager(UserExecutionContext.fromRequest(context('alice')), 'ws')
    const second = wrapper.getWebSocketManager(UserExecutionContext.fromRequest(context('bob')), 'ws')
    const third = wrapper.getWebSocketManager(undefined, 'import')
    expect(second).toBe(first)
    expect(third).toBe(first)
    expect(first.mode).toBe('shared')
    expect(first.context).toBeNull()
    expect(factory.stats.created).toBe(1)
  })

  it('with a context: the factory path, one isolated manager', () => {
    const { wrapper, context } = setup('strict')
    const manager = wrapper.getWebSocketManager(UserExecutionContext.fromRequest(context('alice')), 'ws')
    expect(manager.mode).toBe('isolated')
    expect(manager.userId).toBe('alice')
  })
})
