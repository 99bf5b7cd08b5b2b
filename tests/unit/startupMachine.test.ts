import { describe, expect, it } from 'vitest'
import { createActor, waitFor, type InspectionEvent as XStateInspectionEvent } from 'xstate'
import { STARTUP_PHASES, type StartupPhase } from '../../src/shared/inspection'
import { BackendError } from '../../src/main/runtime/errors'
import { toMachineGraph } from '../../src/main/runtime/startup/machineGraph'
import { startupMachine, type StartupPhaseWork } from '../../src/main/runtime/startup/startupMachine'

function work(order: StartupPhase[], failIn?: StartupPhase, error?: Error): StartupPhaseWork {
  const step = (phase: StartupPhase) => async () => {
    order.push(phase)
    if (phase === failIn) throw error ?? new Error(`${phase} broke`)
  }
  return {
    initialization: step('initialization'),
    configuration: step('configuration'),
    integration: step('integration'),
    readiness: step('readiness')
  }
}

describe('startupMachine', () => {
  it('walks idle → INITIALIZATION → CONFIGURATION → INTEGRATION → READINESS → ready, in order', async () => {
    const order: StartupPhase[] = []
    const seen: string[] = []
    const actor = createActor(startupMachine, {
      input: { work: work(order) },
      inspect: (event: XStateInspectionEvent) => {
        if (event.type === '@xstate.snapshot' && event.actorRef === actor) {
          const value = String((event.snapshot as unknown as { value: string }).value)
          if (seen.at(-1) !== value) seen.push(value)
        }
      }
    })
    actor.start()
    expect(actor.getSnapshot().value).toBe('idle')
    actor.send({ type: 'START' })
    const done = await waitFor(actor, (snapshot) => snapshot.status === 'done')
    expect(done.value).toBe('ready')
    expect(order).toEqual([...STARTUP_PHASES])
    expect(seen).toEqual(['idle', 'initialization', 'configuration', 'integration', 'readiness', 'ready'])
    expect(done.context.error).toBeNull()
  })

  it.each(STARTUP_PHASES)(
    'a failure in %s ends in failed, keeping the phase and the error',
    async (phase) => {
      const order: StartupPhase[] = []
      const error = new BackendError('ValueError', `boom in ${phase}`, 'somewhere.py:1', ['a.py', 'b.py'])
      const actor = createActor(startupMachine, { input: { work: work(order, phase, error) } }).start()
      actor.send({ type: 'START' })
      const done = await waitFor(actor, (snapshot) => snapshot.status === 'done')
      expect(done.value).toBe('failed')
      expect(done.context.failedPhase).toBe(phase)
      expect(done.context.error).toEqual({
        type: 'ValueError',
        message: `boom in ${phase}`,
        site: 'somewhere.py:1',
        chain: ['a.py', 'b.py']
      })
      expect(order.at(-1)).toBe(phase)
      expect(order).toHaveLength(STARTUP_PHASES.indexOf(phase) + 1)
    }
  )

  it('exports its definition as a graph: every state and every transition, read off the machine', () => {
    const graph = toMachineGraph(startupMachine)
    expect(graph.initial).toBe('idle')
    expect(graph.states.map((state) => state.id)).toEqual([
      'idle',
      'initialization',
      'configuration',
      'integration',
      'readiness',
      'ready',
      'failed'
    ])
    expect(graph.states.filter((state) => state.type === 'final').map((state) => state.id)).toEqual([
      'ready',
      'failed'
    ])
    expect(graph.transitions).toContainEqual({ source: 'idle', target: 'initialization', event: 'START' })
    expect(graph.transitions).toContainEqual({ source: 'readiness', target: 'ready', event: 'done' })
    for (const phase of STARTUP_PHASES) {
      expect(graph.transitions).toContainEqual({ source: phase, target: 'failed', event: 'error' })
    }
    expect(graph.transitions).toHaveLength(9)
  })
})
