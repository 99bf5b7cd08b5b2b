import { assign, fromPromise, setup } from 'xstate'
import type { ErrorInfo, StartupPhase } from '../../../shared/inspection'
import { toErrorInfo } from '../errors'

/** The work of each phase. The machine only orders them; the runtime (or a test) supplies what they do. */
export type StartupPhaseWork = Record<StartupPhase, () => Promise<void>>

export interface StartupMachineContext {
  work: StartupPhaseWork
  failedPhase: StartupPhase | null
  error: ErrorInfo | null
}

// The work waits one turn so that the machine's transition into the phase is observed before anything the phase
// does: in the trace, a phase's events always follow the transition into it.
const phaseActor = (phase: StartupPhase) =>
  fromPromise<void, { work: StartupPhaseWork }>(async ({ input }) => {
    await new Promise((resolve) => setImmediate(resolve))
    await input.work[phase]()
  })

/**
 * Start-up, as ADR-001's startup_phase_validation orders it: INITIALIZATION (import the module graph),
 * CONFIGURATION (fill app.state), INTEGRATION (cross-component wiring), READINESS (app-state contracts).
 * Any phase that throws ends in `failed`, keeping the phase and the error.
 */
export const startupMachine = setup({
  types: {
    context: {} as StartupMachineContext,
    input: {} as { work: StartupPhaseWork },
    events: {} as { type: 'START' }
  },
  actions: {
    recordFailure: assign((_, params: { phase: StartupPhase; error: unknown }) => ({
      failedPhase: params.phase,
      error: toErrorInfo(params.error)
    }))
  },
  actors: {
    initialization: phaseActor('initialization'),
    configuration: phaseActor('configuration'),
    integration: phaseActor('integration'),
    readiness: phaseActor('readiness')
  }
}).createMachine({
  id: 'startup',
  initial: 'idle',
  context: ({ input }) => ({ work: input.work, failedPhase: null, error: null }),
  states: {
    idle: { on: { START: 'initialization' } },
    initialization: {
      invoke: {
        src: 'initialization',
        input: ({ context }) => ({ work: context.work }),
        onDone: 'configuration',
        onError: {
          target: 'failed',
          actions: {
            type: 'recordFailure',
            params: ({ event }) => ({ phase: 'initialization', error: event.error })
          }
        }
      }
    },
    configuration: {
      invoke: {
        src: 'configuration',
        input: ({ context }) => ({ work: context.work }),
        onDone: 'integration',
        onError: {
          target: 'failed',
          actions: {
            type: 'recordFailure',
            params: ({ event }) => ({ phase: 'configuration', error: event.error })
          }
        }
      }
    },
    integration: {
      invoke: {
        src: 'integration',
        input: ({ context }) => ({ work: context.work }),
        onDone: 'readiness',
        onError: {
          target: 'failed',
          actions: {
            type: 'recordFailure',
            params: ({ event }) => ({ phase: 'integration', error: event.error })
          }
        }
      }
    },
    readiness: {
      invoke: {
        src: 'readiness',
        input: ({ context }) => ({ work: context.work }),
        onDone: 'ready',
        onError: {
          target: 'failed',
          actions: {
            type: 'recordFailure',
            params: ({ event }) => ({ phase: 'readiness', error: event.error })
          }
        }
      }
    },
    ready: { type: 'final' },
    failed: { type: 'final' }
  }
})
