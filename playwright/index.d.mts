import type {
  Page,
  TestType,
  PlaywrightTestArgs,
  PlaywrightTestOptions,
  PlaywrightWorkerArgs,
  PlaywrightWorkerOptions
} from '@playwright/test'
import type { InspectorServer, InspectorServerOptions, ControlCommand } from './server.mjs'

export { expect } from '@playwright/test'
export { startInspector, sendCommand } from './server.mjs'
export type { InspectorServer, InspectorServerOptions, ControlCommand } from './server.mjs'

/** The runtime's faults (src/shared/faults.ts); tests/unit/playwrightTypes.test.ts keeps the two lists equal. */
export type FaultName =
  | 'shared_singleton_manager'
  | 'import_time_manager'
  | 'factory_keyword_mismatch'
  | 'missing_bridge_fail_fast'
  | 'missing_bridge_legacy'
  | 'foreign_context_class'
  | 'malformed_ids'

export type TabId =
  'startup' | 'factory' | 'users' | 'faults' | 'scenarios' | 'target' | 'observe' | 'sessions'

/** How start-up ended: READINESS passed (`ready`) or a phase failed (`failed`, see `startup-failure`). */
export type StartupOutcome = 'ready' | 'failed'

/** One lane's data-* counts, as numbers. */
export interface LaneCounts {
  /** run_started events for this user (`data-runs-started`). */
  runsStarted: number
  /** run_completed events: the runtime finished emitting the run (`data-runs-completed`). */
  runsCompleted: number
  /** Agent events delivered to this user, whoever owns them (`data-received`). */
  received: number
  /** Of those, events owned by another user (`data-violations`). */
  violations: number
  /** Runs reported missing or out of order for this user (`data-missing`). */
  missing: number
}

export interface ScenarioVerdict {
  /** The scenario behaved as it claims (`scenario-result` `data-ok`). */
  ok: boolean
  /** `null` when that side was not run (mode `failure` or `fixed`). */
  reproduced: boolean | null
  fixed: boolean | null
  whysBound: boolean | null
}

export interface WaitOptions {
  /** Milliseconds. Default 60 000. */
  timeout?: number
}

/** What the `inspector` fixture hands over: the page is open, connected, start-up is over and nothing is in flight. */
export interface Inspector {
  /** `http://127.0.0.1:PORT/?token=…` */
  readonly url: string
  readonly token: string
  readonly port: number
  readonly page: Page
  /** Sends one command over the control channel from Node (not through the page); resolves with its result. */
  send(command: ControlCommand): Promise<unknown>
  /** Opens the URL and waits as the fixture does; for a test that navigated away. */
  open(): Promise<void>
  /** Waits until start-up has ended, either way, and says how. */
  waitForStartup(options?: WaitOptions): Promise<StartupOutcome>
  /** Waits for the shell's `data-busy="false"`: no command in flight and no run still emitting. */
  waitUntilIdle(options?: WaitOptions): Promise<void>
  openTab(tab: TabId): Promise<void>
  /**
   * Makes exactly these faults active from the Faults tab, toggle by toggle (each rebuilds the runtime and drops every
   * user), waiting for each to be applied; resolves with how the last start-up ended.
   */
  setFaults(faults: readonly FaultName[], options?: WaitOptions): Promise<{ phase: StartupOutcome }>
  /** Adds users from the Users tab; resolves with every user's id in lane order. Throws the runtime's refusal. */
  addUsers(count: number, options?: WaitOptions): Promise<string[]>
  /** Every user's id, in lane order. */
  userIds(): Promise<string[]>
  /** One lane's counts now. Deliveries may trail a run's end by milliseconds: to assert, use expect.poll. */
  laneCounts(userId: string): Promise<LaneCounts>
  allLaneCounts(): Promise<Record<string, LaneCounts>>
  /**
   * Run all with `runs` runs per user (default 1); resolves once nothing is in flight (`data-busy="false"`), with
   * every lane's counts. Rejects naming the lane when a user did not start and complete all of its runs.
   */
  runAll(options?: WaitOptions & { runs?: number }): Promise<Record<string, LaneCounts>>
  /** Runs a scenario from the Scenarios tab (default mode `both`) and resolves with its verdict once it is shown. */
  openScenario(
    id: string,
    options?: WaitOptions & { mode?: 'failure' | 'fixed' | 'both' }
  ): Promise<ScenarioVerdict>
}

export interface InspectorFixtures {
  inspector: Inspector
}

export interface InspectorWorkerFixtures {
  /** `serve` options for this worker's server; set with `test.use({ inspectorOptions: {...} })` at file level. */
  inspectorOptions: InspectorServerOptions
  /** The worker's server: one per worker, its runtime rebuilt before each test. */
  inspectorServer: InspectorServer
}

export declare const test: TestType<
  PlaywrightTestArgs & PlaywrightTestOptions & InspectorFixtures,
  PlaywrightWorkerArgs & PlaywrightWorkerOptions & InspectorWorkerFixtures
>

/** The helpers over any page showing an inspector served by `server`. */
export declare function createInspector(page: Page, server: InspectorServer): Inspector
