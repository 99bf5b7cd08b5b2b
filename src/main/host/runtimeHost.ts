import type { FaultName } from '../../shared/faults'
import { resetPushBytes, type CommandReply, type PushBytes } from '../../shared/inspectorApi'
import type { RecordedSoFar } from '../runtime/inspection/recorder'
import { Runtime } from '../runtime/runtime'
import { InProcessUserPool } from '../runtime/users/inProcessUserPool'
import { EventPushBatcher } from './eventPushBatcher'
import type { HostCommand, InspectorHost } from './inspectorHost'
import { createObserveCommands } from './observeCommands'
import { createScenarioCommands, type ScenarioCommands } from './scenarioCommands'
import { SessionSpool } from './sessionSpool'
import { createScanCommands } from './scanCommands'
import { createTargetCommands } from './targetCommands'

export interface RuntimeHostOptions {
  /** Seeds the runtime's ids. Default 1. */
  seed?: number
  /** Pause between an agent's steps, so a person can watch events flow. Default 120 ms. */
  stepDelayMs?: number
  faults?: FaultName[]
  /** Longest a batch of pushed events waits. Default 50 ms. */
  flushMs?: number
  /** Events the runtime's history keeps for hello (the runtime's default unless given). Exports hold every event. */
  historyLimit?: number
}

/** Pushes are flushed at this many events even before flushMs, so a flood arrives in bounded batches. */
const MAX_BATCH = 2_000

/**
 * The InspectorApi backed by a live Runtime. Changing faults or restarting start-up builds a fresh runtime (as
 * restarting a server would) and pushes a reset, so every view starts over from the new stream.
 */
export class RuntimeHost implements InspectorHost {
  private readonly listeners = new Set<(push: PushBytes) => void>()
  /** Gathers the bus's stream into pushes, from its encoded bytes: never parsed or serialized again here. */
  private pushes: EventPushBatcher | null = null
  private runtime!: Runtime
  private pool!: InProcessUserPool
  private faults: FaultName[]
  private readonly scenarios: ScenarioCommands = createScenarioCommands()
  /** A target run's events are relayed into the live runtime's bus as they happen (see createTargetCommands). */
  private readonly targets = createTargetCommands(() => this.runtime.bus)
  private readonly scans = createScanCommands()
  /** Observe mode's judge emits into the live runtime's bus: one stream, one push path, one recording. */
  private readonly observer = createObserveCommands(() => this.runtime.bus)
  /**
   * Reboots and close run one at a time, in order: a set_faults still in flight when the host closes must not boot
   * a runtime after it, which nothing would close and whose server would keep the process alive.
   */
  private lifecycle: Promise<void> = Promise.resolve()
  private closing: Promise<void> | null = null

  private constructor(
    private readonly options: RuntimeHostOptions,
    /** The whole session on disk, for recording_export. */
    private readonly spool: SessionSpool
  ) {
    this.faults = [...(options.faults ?? [])]
  }

  static async create(options: RuntimeHostOptions = {}): Promise<RuntimeHost> {
    const host = new RuntimeHost(options, await SessionSpool.create())
    await host.boot()
    return host
  }

  subscribe(listener: (push: PushBytes) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async handle(command: HostCommand): Promise<CommandReply> {
    switch (command.cmd) {
      case 'set_faults':
        this.faults = [...new Set(command.faults)]
        await this.reboot()
        return ok({ faults: this.faults, startup: this.runtime.startup })
      case 'restart_startup':
        await this.reboot()
        return ok({ startup: this.runtime.startup })
      case 'add_users':
        return this.addUsers(command.count)
      case 'remove_user':
        if (!this.pool.user(command.user_id)) return fail(`no simulated user '${command.user_id}'`, 'user_id')
        await this.pool.disconnect(command.user_id)
        return ok({ removed: command.user_id })
      case 'start_runs': {
        if (command.user_id !== undefined && !this.pool.user(command.user_id)) {
          return fail(`no simulated user '${command.user_id}'`, 'user_id')
        }
        // Answered once the runtime has accepted or refused each run, so no view reads idle before its runs start.
        const outcome = await this.pool.startRunsAnswered(command.runs, command.user_id)
        // Their run_started events reach every view before the reply does.
        this.pushes?.flush()
        return ok(outcome)
      }
      case 'set_user_slow': {
        const user = this.pool.user(command.user_id)
        if (!user) return fail(`no simulated user '${command.user_id}'`, 'user_id')
        user.setReading(!command.slow)
        return ok({ user_id: command.user_id, slow: command.slow })
      }
      case 'recording_export': {
        const { events, bytes } = await this.exportRecording()
        return ok({ events, bytes })
      }
      case 'list_scenarios':
      case 'run_scenario':
      case 'scenario_report':
        return this.scenarios.handle(command)
      case 'run_target': {
        const reply = await this.targets.handle(command)
        // The run's last events reach every view before its report does.
        this.pushes?.flush()
        return reply
      }
      case 'scan_folder':
        return this.scans.handle(command)
      case 'observe_start':
        return this.startObserving(command)
      case 'observe_stop':
      case 'observe_status':
        return this.observer.handle(command)
    }
  }

  /**
   * In turn with reboots and close: an observation started while a runtime is being replaced would judge into the
   * old runtime's bus, and one started after close would keep a relay listening that nothing stops.
   */
  private async startObserving(command: Extract<HostCommand, { cmd: 'observe_start' }>): Promise<CommandReply> {
    let reply: CommandReply = fail('The app is closing; nothing can be observed any more.')
    await this.serially(async () => {
      if (!this.closing) reply = await this.observer.handle(command)
    })
    return reply
  }

  close(): Promise<void> {
    this.closing ??= this.serially(() => this.shutdownHost())
    return this.closing
  }

  private async shutdownHost(): Promise<void> {
    await this.shutdownRuntime()
    await this.spool.close()
    this.listeners.clear()
  }

  /**
   * The hello result as text straight from the bus's lines, never parsed into objects and serialized again (for a
   * full history, six times the cost of joining the lines).
   */
  helloText(): string {
    const history = this.runtime.bus.snapshotLines().join(',')
    return `{"machine":${JSON.stringify(Runtime.machineGraph)},"faults":${JSON.stringify(this.faults)},"history":[${history}]}`
  }

  /** The session's recording as it stands, every line on disk: what an export saves (its first `bytes`). */
  async exportRecording(): Promise<RecordedSoFar> {
    return this.spool.settled()
  }

  private async addUsers(count: number): Promise<CommandReply> {
    if (this.runtime.startup.state !== 'ready') {
      const error = this.runtime.startup.error
      return fail(
        `start-up failed in ${this.runtime.startup.failedPhase?.toUpperCase()}: ${error?.type}: ${error?.message}`
      )
    }
    const users = Array.from({ length: count }, () => {
      const userId = this.runtime.ids.userId()
      return { userId, url: this.runtime.userUrl(userId) }
    })
    const outcome = await this.pool.connect(users)
    return ok(outcome)
  }

  private async boot(): Promise<void> {
    this.runtime = await Runtime.start(
      {
        seed: this.options.seed ?? 1,
        faults: this.faults,
        stepDelayMs: this.options.stepDelayMs ?? 120,
        ...(this.options.historyLimit === undefined ? {} : { historyLimit: this.options.historyLimit })
      },
      undefined
    )
    this.spool.start(this.runtime.bus)
    const auditor = this.runtime.auditor
    this.pool = new InProcessUserPool(auditor.recordDelivery.bind(auditor))
    this.pushes = new EventPushBatcher(this.runtime.bus, (push) => this.broadcast(push), {
      maxEvents: MAX_BATCH,
      flushMs: this.options.flushMs ?? 50
    })
  }

  private reboot(): Promise<void> {
    return this.serially(async () => {
      if (this.closing) return
      await this.shutdownRuntime()
      await this.boot()
      this.broadcast(resetPushBytes(this.helloText()))
    })
  }

  private serially(step: () => Promise<void>): Promise<void> {
    const next = this.lifecycle.then(step)
    this.lifecycle = next.catch(() => undefined)
    return next
  }

  private async shutdownRuntime(): Promise<void> {
    // The observation emits into this runtime's bus: it ends with it (its summary stays for observe_status).
    await this.observer.end()
    this.pushes?.close()
    this.pushes = null
    await this.pool.close()
    await this.runtime.close()
    await this.spool.stop()
  }

  private broadcast(push: PushBytes): void {
    for (const listener of this.listeners) listener(push)
  }
}

const ok = (result: unknown): CommandReply => ({ ok: true, result })
const fail = (message: string, path?: string): CommandReply => ({
  ok: false,
  error: path ? { message, path } : { message }
})

/** The Electron entry and the serve command both start here. */
export async function createRuntimeHost(options: RuntimeHostOptions = {}): Promise<RuntimeHost> {
  return RuntimeHost.create(options)
}
