import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { registerListScenarios } from './listScenariosTool'
import { registerReadRecording } from './readRecordingTool'
import { registerRunLoad } from './runLoadTool'
import { registerRunScenario } from './runScenarioTool'
import { registerRunTarget } from './runTargetTool'

export const MCP_SERVER_NAME = 'session-inspector'

const INSTRUCTIONS = `Session Inspector finds per-user WebSocket isolation bugs: events that reach the wrong user.
- list_scenarios / run_scenario: replay the five-whys of a known failure (its fault and its fix) with evidence.
- run_load: the embedded runtime under N users x R runs, with faults (e.g. shared_singleton_manager leaks).
- run_target: the same audit against your own backend, described by a target file (docs/target-mode.md).
- read_recording: counts, leaks and filtered events of a recording (load --record, target --record).
Paths are relative to the server's working directory.`

/** The MCP server with every tool registered; the caller connects it to a transport. */
export function createInspectorMcpServer(version: string): McpServer {
  const server = new McpServer({ name: MCP_SERVER_NAME, version }, { instructions: INSTRUCTIONS })
  registerListScenarios(server)
  registerRunScenario(server)
  registerRunLoad(server)
  registerRunTarget(server)
  registerReadRecording(server)
  return server
}
