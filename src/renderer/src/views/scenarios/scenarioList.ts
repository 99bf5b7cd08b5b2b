import { z } from 'zod'

/**
 * What this UI assumes of `list_scenarios`' result until the runtime pins it down in src/shared: an array of
 * objects with at least an `id` (bare, or under `scenarios`). Anything else is shown raw.
 */
const scenarioSummarySchema = z.looseObject({
  id: z.string(),
  title: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  summary: z.string().optional()
})
export type ScenarioSummary = z.infer<typeof scenarioSummarySchema>

const scenarioListSchema = z.union([
  z.array(scenarioSummarySchema),
  z.looseObject({ scenarios: z.array(scenarioSummarySchema) }).transform((value) => value.scenarios)
])

export function parseScenarioList(result: unknown): ScenarioSummary[] | null {
  const parsed = scenarioListSchema.safeParse(result)
  return parsed.success ? parsed.data : null
}

export function scenarioTitle(scenario: ScenarioSummary): string {
  return scenario.title ?? scenario.name ?? scenario.id
}
