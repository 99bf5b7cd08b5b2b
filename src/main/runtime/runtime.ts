import { createActor, type Actor } from 'xstate'
import type { ErrorInfo, StartupPhase, StartupState } from '../../shared/inspection'
import type { MachineGraph } from '../../shared/machineGraph'
import { AgentWebSocketBridge } from './agents/agentWebSocketBridge'
import { configureExecutionEngineFactory } from './agents/executionEngineFactory'
import { SupervisorFactory } from './agents/supervisorFactory'
import { IsolationAuditor } from './audit/isolationAuditor'
import { ContextService } from './context/contextService'
import { BackendError } from './errors'
import { UnifiedIdGenerator } from './ids/unifiedIdGenerator'
import { InspectionBus } from './inspection/inspectionBus'
import {
  runtimeOptionsSchema,
  wiringFor,
  type RuntimeOptions,
  type RuntimeOptionsInput
} from './runtimeOptions'
import { AgentHandler } from './server/agentHandler'
import { openSession } from './server/connectionSession'
import { RuntimeServer } from './server/runtimeServer'
import { validateAppStateContracts, type AppState } from './startup/appStateContracts'
import { DeferredFactories } from './startup/deferredFactories'
import { defaultModuleGraph } from './startup/defaultModuleGraph'
import { runCodeEffect } from './startup/effectRunner'
import { toMachineGraph } from './startup/machineGraph'
import { loadModuleGraph, type ModuleLoadResult } from './startup/moduleLoader'
import { startupMachine, type StartupPhaseWork } from './startup/startupMachine'
import { LegacyWebSocketManagerWrapper } from './websocket/legacyWrapper'
import { WebSocketConnectionPool } from './websocket/webSocketConnectionPool'
import { WebSocketManagerFactory } from './websocket/webSocketManagerFactory'

export interface StartupOutcome {
  state: Extract<StartupState, 'ready' | 'failed'>
  failedPhase: StartupPhase | null
  error: ErrorInfo | null
}

/**
 * The embedded runtime: the modelled backend (factory, wrapper, bridge, engine factory, agent handler) behind a
 * real ws server, booted by the start-up phase machine, watched by the isolation auditor. Plain Node.
 */
export class Runtime {
  private outcome: StartupOutcome | null = null

  private constructor(
    readonly options: RuntimeOptions,
    /** app.state as start-up filled it. */
    readonly appState: AppState,
    private readonly loaded: { modules: ModuleLoadResult | null },
    readonly bus: InspectionBus,
    readonly ids: UnifiedIdGenerator,
    readonly factory: WebSocketManagerFactory,
    readonly wrapper: LegacyWebSocketManagerWrapper,
    readonly contexts: ContextService,
    readonly auditor: IsolationAuditor,
    readonly server: RuntimeServer,
    private readonly actor: Actor<typeof startupMachine>
  ) {}

  static readonly machineGraph: MachineGraph = toMachineGraph(startupMachine)

  /** Builds the runtime and runs start-up to its end. Resolves whether start-up passed or failed: see `startup`. */
  static async start(input: RuntimeOptionsInput = {}, given?: InspectionBus): Promise<Runtime> {
    const options = runtimeOptionsSchema.parse(input)
    const bus =
      given ?? new InspectionBus({ historyLimit: options.historyLimit, historyBytes: options.historyBytes })
    const wiring = wiringFor(options.faults)
    const ids = new UnifiedIdGenerator(options.seed)
    const factory = new WebSocketManagerFactory(ids, bus)
    const wrapper = new LegacyWebSocketManagerWrapper(
      factory,
      bus,
      wiring.singleton ? 'singleton' : options.legacyWrapper
    )
    const contexts = new ContextService(ids, bus, {
      foreignClass: wiring.foreignContextClass,
      malformedIds: wiring.malformedIds,
      ...(options.contextIds ? { ids: options.contextIds } : {})
    })
    const deferred = new DeferredFactories(bus)
    const auditor = new IsolationAuditor(bus, { missingGraceMs: options.missingGraceMs })
    const appState: AppState = {}
    const handler = new AgentHandler({
      contexts,
      factory,
      wrapper,
      bus,
      engineFactory: () => appState.execution_engine_factory,
      keywordMismatch: wiring.keywordMismatch,
      ...(options.handlerSites ? { sites: options.handlerSites } : {})
    })
    const server = await RuntimeServer.listen(
      (socket, userId, writer) => {
        const pool = appState.websocket_connection_pool
        if (!pool) return socket.close(1013, 'runtime not configured')
        openSession(socket, userId, {
          ids,
          bus,
          contexts,
          pool,
          handler,
          writer,
          maxBufferedBytes: options.maxBufferedBytes
        })
      },
      { port: options.port, ...(options.token ? { token: options.token } : {}) }
    )

    const loaded: { modules: ModuleLoadResult | null } = { modules: null }
    const work = phaseWork({ options, wiring, ids, bus, factory, wrapper, appState, loaded, deferred })
    let lastState: StartupState | null = null
    const actor = createActor(startupMachine, {
      input: { work },
      inspect: (event) => {
        if (event.type !== '@xstate.snapshot' || event.actorRef !== actor) return
        const state = (event.snapshot as unknown as { value: StartupState }).value
        if (state === lastState) return
        bus.emit({ kind: 'phase_transition', from: lastState, to: state })
        lastState = state
      }
    })
    const runtime = new Runtime(
      options,
      appState,
      loaded,
      bus,
      ids,
      factory,
      wrapper,
      contexts,
      auditor,
      server,
      actor
    )
    await runtime.boot()
    return runtime
  }

  /** What INITIALIZATION imported, and what failed with which chain; null before it ran. */
  get modules(): ModuleLoadResult | null {
    return this.loaded.modules
  }

  get startup(): StartupOutcome {
    if (!this.outcome) throw new Error('start-up has not finished; await Runtime.start()')
    return this.outcome
  }

  get machineState(): StartupState {
    return this.actor.getSnapshot().value as StartupState
  }

  userUrl(userId: string): string {
    return this.server.userUrl(userId)
  }

  /**
   * Restarts the ws server mid-run, as a crash and relaunch would: every user is dropped (their managers close,
   * their in-flight runs are reported missing), then the same port and token take new connections.
   */
  async restartServer(): Promise<void> {
    const ready = this.server.isReady
    this.server.setReady(false)
    this.bus.emit({
      kind: 'warning',
      code: 'server_restarted',
      message: `runtime server restarting on port ${this.server.port}: dropping ${this.server.openSockets} connection(s) mid-run; users must reconnect`
    })
    await this.server.restart()
    this.server.setReady(ready)
  }

  /** Closes every socket and manager; afterwards created equals closed. */
  async close(): Promise<void> {
    this.server.setReady(false)
    await this.server.close()
    // Sockets close asynchronously; give their close handlers a turn to detach before the sweep.
    await new Promise((resolve) => setImmediate(resolve))
    this.factory.closeAll()
    this.auditor.close()
    this.actor.stop()
  }

  private async boot(): Promise<void> {
    const finished = new Promise<void>((resolve) => {
      this.actor.subscribe({ complete: () => resolve(), error: () => resolve() })
    })
    this.actor.start()
    this.actor.send({ type: 'START' })
    await finished
    const snapshot = this.actor.getSnapshot()
    const failed = snapshot.value === 'failed'
    this.outcome = {
      state: failed ? 'failed' : 'ready',
      failedPhase: snapshot.context.failedPhase,
      error: snapshot.context.error
    }
    if (failed && snapshot.context.failedPhase && snapshot.context.error) {
      this.bus.emit({
        kind: 'phase_failed',
        phase: snapshot.context.failedPhase,
        error: snapshot.context.error
      })
    }
    this.server.setReady(!failed)
  }
}

interface PhaseWorkInput {
  options: RuntimeOptions
  wiring: ReturnType<typeof wiringFor>
  ids: UnifiedIdGenerator
  bus: InspectionBus
  factory: WebSocketManagerFactory
  wrapper: LegacyWebSocketManagerWrapper
  appState: AppState
  loaded: { modules: ModuleLoadResult | null }
  deferred: DeferredFactories
}

/** What each start-up phase does to this runtime. */
function phaseWork(input: PhaseWorkInput): StartupPhaseWork {
  const { options, wiring, ids, bus, factory, wrapper, appState, deferred } = input
  const effectDeps = { factory, wrapper, ids, bus, deferred, factoryRegistered: options.factoryRegistered }
  const runHooks = (phase: StartupPhase): void => {
    for (const hook of options.startupHooks.filter((candidate) => candidate.phase === phase)) {
      try {
        runCodeEffect(hook.effect, hook.effect.site, effectDeps)
      } catch (error) {
        const chain = [hook.effect.site, hook.effect.code]
        throw error instanceof BackendError ? error.calledFrom(chain) : error
      }
    }
  }
  return {
    initialization: async () => {
      const graph = options.moduleGraph ?? defaultModuleGraph({ importTimeManager: wiring.importTimeManager })
      const result = loadModuleGraph(
        graph,
        (effect, module) => runCodeEffect(effect, module, effectDeps),
        bus
      )
      input.loaded.modules = result
      const first = result.failures[0]
      if (first) throw new BackendError(first.error.type, first.error.message, first.error.site, first.chain)
    },
    configuration: async () => {
      appState.websocket_connection_pool = new WebSocketConnectionPool(factory, wrapper)
      appState.agent_websocket_bridge = new AgentWebSocketBridge(ids, bus)
      // Only scenarios that model ADR-001's bridge designs or defer creation need a supervisor between run and bridge.
      const supervisor =
        options.bridgeScope || deferred.size > 0
          ? new SupervisorFactory(options.bridgeScope ?? null, appState.agent_websocket_bridge, {
              ids,
              bus,
              factory,
              deferred
            })
          : undefined
      appState.execution_engine_factory = configureExecutionEngineFactory(
        wiring.bridgeInjected ? appState.agent_websocket_bridge : undefined,
        bus,
        {
          failFast: wiring.engineFailFast,
          stepDelayMs: options.stepDelayMs,
          ...(supervisor ? { supervisor } : {})
        }
      )
      runHooks('configuration')
    },
    integration: async () => {
      runHooks('integration')
    },
    readiness: async () => {
      runHooks('readiness')
      const findings = validateAppStateContracts(appState)
      for (const finding of findings) {
        bus.emit({
          kind: 'contract_check',
          contract: finding.contract,
          ok: finding.ok,
          enforced: wiring.contractsEnforced,
          findings: finding.findings
        })
      }
      const broken = findings.filter((finding) => !finding.ok)
      if (broken.length > 0 && wiring.contractsEnforced) {
        throw new BackendError(
          'AppStateContractError',
          broken.map((finding) => `${finding.contract}: ${finding.findings.join('; ')}`).join(' | '),
          'app_state_contracts.py'
        )
      }
    }
  }
}
