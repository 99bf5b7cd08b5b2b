import type { Command, CommandReply } from '../../shared/inspectorApi'

type ScenarioCommand = Extract<Command, { cmd: 'list_scenarios' | 'run_scenario' | 'scenario_report' }>

/** The scenario part of the InspectorApi; the scenario engine plugs in here. */
export interface ScenarioCommands {
  handle(command: ScenarioCommand): Promise<CommandReply>
}

export function createScenarioCommands(): ScenarioCommands {
  return {
    handle: async (command) => ({
      ok: false,
      error: { message: `'${command.cmd}' needs the scenario engine, which is not part of this build yet` }
    })
  }
}
