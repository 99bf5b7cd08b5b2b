import type { CodeEffect } from './codeEffects'
import type { ModuleGraph } from './moduleGraph'

/** The line seed 000 found at agent_service_factory.py:14. */
export const IMPORT_TIME_MANAGER_EFFECT: CodeEffect = {
  site: 'agent_service_factory.py:14',
  code: 'manager = get_websocket_manager()',
  call: { op: 'get_websocket_manager' }
}

/**
 * The backend the live runtime imports at INITIALIZATION: the modules the seeds name, wired as the fixed system
 * has them. With fault import_time_manager, agent_service_factory creates a manager at import again.
 */
export function defaultModuleGraph(options: { importTimeManager: boolean }): ModuleGraph {
  return {
    modules: [
      { name: 'user_execution_context.py', imports: [], effects: [], tests: [] },
      {
        name: 'websocket_manager_factory.py',
        imports: ['user_execution_context.py'],
        effects: [],
        tests: []
      },
      {
        name: 'websocket_core/__init__.py',
        imports: ['websocket_manager_factory.py'],
        effects: [],
        tests: []
      },
      {
        name: 'agent_service_factory.py',
        imports: ['websocket_core/__init__.py'],
        effects: options.importTimeManager ? [IMPORT_TIME_MANAGER_EFFECT] : [],
        tests: []
      },
      { name: 'agent_service.py', imports: ['agent_service_factory.py'], effects: [], tests: [] },
      { name: 'agent_websocket_bridge.py', imports: ['websocket_core/__init__.py'], effects: [], tests: [] },
      { name: 'execution_engine_factory.py', imports: ['agent_websocket_bridge.py'], effects: [], tests: [] },
      {
        name: 'agent_handler.py',
        imports: ['websocket_core/__init__.py', 'agent_service.py'],
        effects: [],
        tests: []
      },
      { name: 'smd.py', imports: ['agent_handler.py', 'execution_engine_factory.py'], effects: [], tests: [] }
    ],
    entries: ['smd.py']
  }
}
