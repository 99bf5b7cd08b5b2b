import type { FaultName } from '../../shared/faults'
import type { Scenario, ScenarioChange, ScenarioSystem, Wiring } from '../../shared/scenario'
import type { RuntimeOptionsInput } from '../runtime/runtimeOptions'

/** One run of a scenario: which system it boots and which expectations judge it. */
export interface RunPlan {
  run: string
  mode: 'failure' | 'fixed'
  title: string
  system: ScenarioSystem
  expect: Scenario['failure']['expect']
}

/** A change that names something the base system does not have: a scenario error, with where it is. */
export class ChangeError extends Error {
  constructor(
    readonly path: Array<string | number>,
    message: string
  ) {
    super(message)
  }
}

/** The failure, every variant and the fixed system, in the order a `both` run makes them. */
export function planRuns(scenario: Scenario): RunPlan[] {
  const fixed = applyChange(scenario.system, scenario.fix.change, ['fix', 'change'])
  const plans: RunPlan[] = [
    {
      run: 'failure',
      mode: 'failure',
      title: scenario.title,
      system: scenario.system,
      expect: scenario.failure.expect
    }
  ]
  scenario.variants.forEach((variant, index) => {
    const base = variant.base === 'fixed' ? fixed : scenario.system
    const system = applyChange(base, variant.change, ['variants', index, 'change'])
    plans.push({ run: variant.id, mode: 'failure', title: variant.title, system, expect: variant.expect })
  })
  plans.push({
    run: 'fixed',
    mode: 'fixed',
    title: scenario.fix.summary,
    system: fixed,
    expect: scenario.fix.expect
  })
  return plans
}

export function applyChange(
  base: ScenarioSystem,
  change: ScenarioChange,
  path: Array<string | number>
): ScenarioSystem {
  const system: ScenarioSystem = {
    ...base,
    ...(change.faults ? { faults: change.faults } : {}),
    ...(change.moduleGraph ? { moduleGraph: change.moduleGraph } : {}),
    ...(change.users ? { users: change.users } : {}),
    ...(change.checks ? { checks: change.checks } : {}),
    ...(change.fixtures ? { fixtures: change.fixtures } : {}),
    wiring: { ...base.wiring }
  }
  let changeHooks = change.wiring?.startupHooks
  change.effects?.forEach((replacement, index) => {
    let replaced = 0
    const graph = system.moduleGraph
    if (graph) {
      system.moduleGraph = {
        ...graph,
        modules: graph.modules.map((module) => {
          if (!module.effects.some((effect) => effect.site === replacement.site)) return module
          replaced += 1
          return {
            ...module,
            effects: module.effects.flatMap((effect) =>
              effect.site === replacement.site ? replacement.with : [effect]
            )
          }
        })
      }
    }
    if (system.fixtures.some((fixture) => fixture.setup.site === replacement.site)) {
      replaced += 1
      system.fixtures = system.fixtures.flatMap((fixture) =>
        fixture.setup.site === replacement.site
          ? replacement.with.map((setup) => ({ ...fixture, setup }))
          : [fixture]
      )
    }
    const hooks = system.wiring.startupHooks
    if (hooks?.some((hook) => hook.effect.site === replacement.site)) {
      replaced += 1
      system.wiring = { ...system.wiring, startupHooks: replaceHooks(hooks, replacement) }
    } else if (replaced === 0 && changeHooks?.some((hook) => hook.effect.site === replacement.site)) {
      // Files written before the change's own hooks went on last may name them here: still honoured.
      replaced += 1
      changeHooks = replaceHooks(changeHooks, replacement)
    }
    if (replaced === 0) {
      throw new ChangeError(
        [...path, 'effects', index, 'site'],
        `no effect or start-up hook has site '${replacement.site}' in the system this change applies to; ` +
          `sites there: ${sitesOf(base).join(', ') || '(none)'}`
      )
    }
  })
  // The change's own wiring goes on last, so its new start-up hooks are not taken for the lines it replaces.
  system.wiring = {
    ...system.wiring,
    ...change.wiring,
    ...(changeHooks ? { startupHooks: changeHooks } : {})
  }
  return system
}

type Hooks = NonNullable<Wiring['startupHooks']>

function replaceHooks(hooks: Hooks, replacement: NonNullable<ScenarioChange['effects']>[number]): Hooks {
  return hooks.flatMap((hook) =>
    hook.effect.site === replacement.site
      ? replacement.with.map((effect) => ({ phase: hook.phase, effect }))
      : [hook]
  )
}

function sitesOf(system: ScenarioSystem): string[] {
  const sites = [
    ...(system.moduleGraph?.modules.flatMap((module) => module.effects.map((effect) => effect.site)) ?? []),
    ...(system.wiring.startupHooks?.map((hook) => hook.effect.site) ?? []),
    ...system.fixtures.map((fixture) => fixture.setup.site)
  ]
  return [...new Set(sites)]
}

/** The faults a wiring implies, added to the system's own. */
export function faultsOf(system: ScenarioSystem): FaultName[] {
  const faults = new Set<FaultName>(system.faults)
  const wiring: Wiring = system.wiring
  if (wiring.websocketManager === 'shared_singleton') faults.add('shared_singleton_manager')
  const engine = wiring.executionEngineFactory
  if (engine?.websocketBridge === 'missing')
    faults.add(engine.failFast ? 'missing_bridge_fail_fast' : 'missing_bridge_legacy')
  return [...faults]
}

/**
 * The runtime options for a system. Deliveries are judged when a run settles, so the auditor's grace timer is
 * pushed far out and never races the engine.
 */
export function runtimeOptionsFor(system: ScenarioSystem, seed: number): RuntimeOptionsInput {
  return {
    seed,
    faults: faultsOf(system),
    legacyWrapper: system.wiring.legacyWrapper ?? 'strict',
    startupHooks: system.wiring.startupHooks ?? [],
    missingGraceMs: 600_000,
    factoryRegistered: system.wiring.websocketManagerFactory !== 'missing',
    ...(system.wiring.agentWebSocketBridge ? { bridgeScope: system.wiring.agentWebSocketBridge } : {}),
    ...(system.wiring.contextIds ? { contextIds: system.wiring.contextIds } : {}),
    ...(system.wiring.handlerSites ? { handlerSites: system.wiring.handlerSites } : {}),
    ...(system.moduleGraph ? { moduleGraph: system.moduleGraph } : {})
  }
}
