import type { AnyStateMachine } from 'xstate'
import type { MachineGraph } from '../../../shared/machineGraph'

/** Reads the graph off the machine itself, so the drawing can never drift from the behaviour. */
export function toMachineGraph(machine: AnyStateMachine): MachineGraph {
  const states = Object.values(machine.root.states)
  return {
    id: machine.id,
    initial: String(machine.root.initial?.target[0]?.key ?? states[0]?.key ?? ''),
    states: states.map((node) => ({
      id: node.key,
      label: node.key.toUpperCase(),
      type: node.type === 'final' ? ('final' as const) : ('atomic' as const)
    })),
    transitions: states.flatMap((node) =>
      node.definition.transitions.flatMap((transition) =>
        (transition.target ?? []).map((target) => ({
          source: node.key,
          target: target.key,
          event: describeEvent(transition.eventType)
        }))
      )
    )
  }
}

function describeEvent(eventType: string): string {
  if (eventType.startsWith('xstate.done.actor')) return 'done'
  if (eventType.startsWith('xstate.error.actor')) return 'error'
  return eventType
}
