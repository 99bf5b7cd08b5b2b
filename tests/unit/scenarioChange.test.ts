import { describe, expect, it } from 'vitest'
import type { ScenarioSystem } from '../../src/shared/scenario'
import { applyChange } from '../../src/main/scenarios/resolveSystem'

const line = (site: string, code: string) => ({ site, code, call: { op: 'get_websocket_manager' as const } })
const base: ScenarioSystem = {
  moduleGraph: {
    modules: [
      { name: 'startup_module.py', imports: [], effects: [line('startup_module.py:899', 'x()')], tests: [] }
    ],
    entries: ['startup_module.py']
  },
  wiring: {},
  faults: [],
  users: { ids: [], runsEach: 0 },
  checks: [],
  fixtures: []
}
const check = { op: 'get_websocket_manager_factory' as const }

describe('a change', () => {
  it('moves a line from import time into a start-up hook with the same site', () => {
    const system = applyChange(
      base,
      {
        effects: [{ site: 'startup_module.py:899', with: [] }],
        wiring: {
          startupHooks: [
            {
              phase: 'readiness',
              effect: { site: 'startup_module.py:899', code: 'factory = f()', call: check }
            }
          ]
        }
      },
      ['fix', 'change']
    )
    expect(system.moduleGraph?.modules[0]?.effects).toEqual([])
    expect(system.wiring.startupHooks?.map((hook) => [hook.phase, hook.effect.code])).toEqual([
      ['readiness', 'factory = f()']
    ])
  })

  it('still replaces a site that only its own new hooks have, as files written before did', () => {
    const system = applyChange(
      base,
      {
        wiring: {
          startupHooks: [{ phase: 'integration', effect: { site: 'hook.py:1', code: 'old()', call: check } }]
        },
        effects: [{ site: 'hook.py:1', with: [{ site: 'hook.py:1', code: 'new()', call: check }] }]
      },
      ['fix', 'change']
    )
    expect(system.wiring.startupHooks?.map((hook) => hook.effect.code)).toEqual(['new()'])
  })

  it('replaces a fixture setup by its site, and names the sites there when nothing has it', () => {
    const setup = {
      site: 'test_a.py (fixture m)',
      code: 'return create_websocket_manager(user_context)',
      call: {
        op: 'create_websocket_manager' as const,
        style: 'positional' as const,
        context: 'request' as const
      }
    }
    const withFixture = { ...base, fixtures: [{ name: 'm', modules: ['test_a.py'], setup }] }
    const changed = applyChange(
      withFixture,
      {
        effects: [{ site: setup.site, with: [{ ...setup, call: { ...setup.call, context: 'models_path' } }] }]
      },
      ['variants', 0, 'change']
    )
    expect(changed.fixtures[0]?.setup.call).toMatchObject({ context: 'models_path' })
    expect(() =>
      applyChange(withFixture, { effects: [{ site: 'nowhere.py:1', with: [] }] }, ['fix', 'change'])
    ).toThrow(/sites there: startup_module.py:899, test_a.py \(fixture m\)/)
  })
})
