import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { builtinScenarios } from '../scenarios/builtinScenarios'
import { summarize } from '../scenarios/scenarioSummary'
import { guardTool, jsonResult } from './toolCall'

export function registerListScenarios(server: McpServer): void {
  server.registerTool(
    'list_scenarios',
    {
      title: 'List the built-in five-whys scenarios',
      description:
        'The built-in scenarios, one per failure in the post-mortems: id, title, summary, source report, ' +
        'variants (other failing systems the report describes) and the five whys each proves. ' +
        'Pass an id to run_scenario to replay one.',
      inputSchema: {},
      annotations: { readOnlyHint: true, openWorldHint: false }
    },
    guardTool('list_scenarios', async () =>
      jsonResult({ scenarios: builtinScenarios().map((scenario) => summarize(scenario, true)) })
    )
  )
}
