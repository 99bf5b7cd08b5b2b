import { describe, expect, it } from 'vitest'
import { bindCall, keywords, positional } from '../../src/main/runtime/websocket/pythonCall'

describe('bindCall', () => {
  const bind = (call: Parameters<typeof bindCall>[2]) =>
    bindCall('create_websocket_manager', ['user_context'], call)

  it('binds a positional argument to its parameter', () => {
    expect(bind(positional('ctx'))).toEqual({ user_context: 'ctx' })
  })

  it('binds the right keyword', () => {
    expect(bind(keywords({ user_context: 'ctx' }))).toEqual({ user_context: 'ctx' })
  })

  it("raises CPython's TypeError for a keyword the signature does not have (seed 003)", () => {
    expect(() => bind(keywords({ context: 'ctx' }))).toThrow(
      "create_websocket_manager() got an unexpected keyword argument 'context'"
    )
    try {
      bind(keywords({ context: 'ctx' }))
    } catch (error) {
      expect((error as { pyType: string }).pyType).toBe('TypeError')
    }
  })

  it('reports missing, duplicated and surplus arguments as CPython does', () => {
    expect(() => bind(positional())).toThrow(
      "create_websocket_manager() missing 1 required positional argument: 'user_context'"
    )
    expect(() => bindCall('f', ['a'], { args: [1], kwargs: { a: 2 } })).toThrow(
      "f() got multiple values for argument 'a'"
    )
    expect(() => bind(positional(1, 2))).toThrow(
      'create_websocket_manager() takes 1 positional argument but 2 were given'
    )
  })
})
