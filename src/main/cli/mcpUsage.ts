/** Kept apart from the command so the CLI's usage text does not load the MCP SDK. */
export const MCP_USAGE = `mcp
  An MCP server over stdio for coding agents: tools list_scenarios, run_scenario, run_load, run_target,
  read_recording (README, "For coding agents (MCP)"). stdout carries only the protocol; logs go to stderr.
  Runs until stdin closes. Exit: 0 stdin closed, 2 bad arguments.`
