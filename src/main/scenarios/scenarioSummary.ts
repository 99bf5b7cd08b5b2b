import type { Scenario } from '../../shared/scenario'
import type { ScenarioSummary } from '../../shared/scenarioResult'

export function summarize(scenario: Scenario, builtin: boolean): ScenarioSummary {
  return {
    id: scenario.id,
    title: scenario.title,
    summary: scenario.summary,
    source: scenario.source,
    builtin,
    variants: scenario.variants.map((variant) => ({ id: variant.id, title: variant.title })),
    whys: scenario.whys.map((why) => why.question)
  }
}
