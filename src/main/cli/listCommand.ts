import { z } from 'zod'
import { builtinScenarios } from '../scenarios/builtinScenarios'
import { summarize } from '../scenarios/scenarioSummary'
import { parseCommandArgs } from './parseCommandArgs'

export const LIST_USAGE = `list [--json]
  Lists the built-in scenarios: id, source report and title.`

const listArgsSchema = z.strictObject({
  json: z.boolean().default(false),
  positionals: z.array(z.string()).max(0, 'list takes no positional arguments')
})

export async function listCommand(argv: string[], print: (line: string) => void): Promise<number> {
  const args = parseCommandArgs('list', argv, { json: { type: 'boolean' } }, listArgsSchema)
  const scenarios = builtinScenarios().map((scenario) => summarize(scenario, true))
  if (args.json) {
    print(JSON.stringify({ scenarios }, null, 2))
    return 0
  }
  const width = Math.max(...scenarios.map((scenario) => scenario.id.length))
  for (const scenario of scenarios) {
    const variants =
      scenario.variants.length > 0 ? ` (+ ${scenario.variants.map((variant) => variant.id).join(', ')})` : ''
    print(`${scenario.id.padEnd(width)}  ${scenario.source.report}  ${scenario.title}${variants}`)
  }
  return 0
}
