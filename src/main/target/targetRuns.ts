import type { AgentEventType } from '../../shared/agentEvents'
import type { InspectionBus } from '../runtime/inspection/inspectionBus'

const UNSEEN = '(no event seen) '

interface TrackedRun {
  owner: string
  startedAt: number
  ownDeliveries: number
  /** A user's other connection (tab) getting the run too: judged as a run, never counted as one of the user's. */
  tab: boolean
  /**
   * Its owner is a user of another shard, seen here only as a leak: its completeness is that shard's to judge, so
   * the auditor is never told of it (a run it never hears of is never reported missing here).
   */
  elsewhere: boolean
}

/**
 * The runs of a target, discovered from the events themselves (the backend assigns the run ids). Each new run is
 * announced as run_started, so the auditor tracks it exactly as it tracks the runtime's runs; at the end every run
 * is announced as run_completed, and each run a user started but never saw a single event of becomes a run with
 * nothing received, so the auditor reports it missing.
 */
export class TargetRuns {
  private readonly runs = new Map<string, TrackedRun>()
  /** The key of each (owner, run id) seen, by owner then run id: no pair string built per event. */
  private readonly keys = new Map<string, Map<string, string>>()
  private readonly ownerOfRunId = new Map<string, string>()
  private readonly discovered = new Map<string, number>()
  private readonly finished = new Map<string, number>()

  constructor(
    private readonly bus: InspectionBus,
    private readonly terminal: AgentEventType,
    /** When the owner sent the start message of its k-th run (0-based), if it did. */
    private readonly sentAt: (owner: string, k: number) => number | undefined,
    /** Connections per user (the file's connections): every one of them must get each of its user's runs. */
    private readonly tabs = 1,
    /** Whether this process runs the owner's user (false for another shard's): only its runs are checked here. */
    private readonly isLocal: (owner: string) => boolean = () => true
  ) {}

  /** The run id the auditor knows this event's run by, announcing the run the first time it is seen. */
  runKey(
    owner: string,
    runId: string,
    threadId: string | null,
    now: number,
    run: number | null = null,
    /** The receiving connection among its user's (0-based): each tab of the owner must get the whole run. */
    tab = 0
  ): string {
    let ofOwner = this.keys.get(owner)
    if (ofOwner === undefined) this.keys.set(owner, (ofOwner = new Map()))
    const known = ofOwner.get(runId)
    if (known !== undefined) return this.forTab(known, tab)
    // A backend may number runs per connection: the same run id for two owners is two runs.
    const firstOwner = this.ownerOfRunId.get(runId)
    const key = firstOwner === undefined || firstOwner === owner ? runId : `${runId} (${owner})`
    if (firstOwner === undefined) this.ownerOfRunId.set(runId, owner)
    ofOwner.set(runId, key)
    if (!this.isLocal(owner)) {
      this.runs.set(key, { owner, startedAt: now, ownDeliveries: 0, tab: false, elsewhere: true })
      return key
    }
    const k = this.discovered.get(owner) ?? 0
    this.discovered.set(owner, k + 1)
    // The ownership rule may know which of the owner's runs this is (by its request id); else the order seen.
    this.runs.set(key, {
      owner,
      startedAt: this.sentAt(owner, run === null ? k : run - 1) ?? now,
      ownDeliveries: 0,
      tab: false,
      elsewhere: false
    })
    this.bus.emit({
      kind: 'run_started',
      context: { user_id: owner, thread_id: threadId ?? '(unknown)', run_id: key, request_id: '(target)' }
    })
    // Every tab's copy is tracked from the run's first event, so a tab that receives none of it is caught.
    for (let other = 1; other < this.tabs; other++) this.forTab(key, other)
    return this.forTab(key, tab)
  }

  /**
   * The run as one of its owner's other tabs receives it: `<key> (tab N)`, a run of its own for the auditor, so
   * each tab must get every expected event in order, without one tab's events counting as the other's.
   */
  private forTab(key: string, tab: number): string {
    if (tab === 0) return key
    const tabKey = `${key} (tab ${tab + 1})`
    const run = this.runs.get(key)
    if (!run || this.runs.has(tabKey)) return tabKey
    this.runs.set(tabKey, {
      owner: run.owner,
      startedAt: run.startedAt,
      ownDeliveries: 0,
      tab: true,
      elsewhere: false
    })
    this.bus.emit({
      kind: 'run_started',
      context: { user_id: run.owner, thread_id: '(unknown)', run_id: tabKey, request_id: '(target)' }
    })
    return tabKey
  }

  /** When the run began, as far as we know: its owner's start message, else its first event. */
  startedAt(key: string): number {
    return this.runs.get(key)?.startedAt ?? 0
  }

  /** Its owner received one of its events. */
  ownDelivery(key: string, role: AgentEventType): void {
    const run = this.runs.get(key)
    if (!run) return
    run.ownDeliveries += 1
    if (role === this.terminal && !run.tab)
      this.finished.set(run.owner, (this.finished.get(run.owner) ?? 0) + 1)
  }

  finishedBy(owner: string): number {
    return this.finished.get(owner) ?? 0
  }

  /** Runs that no event was ever seen of have ids of their own (unique, and never a backend's). */
  static isUnseen(runId: string): boolean {
    return runId.startsWith(UNSEEN)
  }

  /** Completes every run; returns, by user, how many of its started runs never showed a single event to anyone. */
  completeAll(started: ReadonlyArray<{ userId: string; runs: number }>): Record<string, number> {
    for (const [key, run] of this.runs)
      if (!run.elsewhere)
        this.bus.emit({ kind: 'run_completed', run_id: key, user_id: run.owner, emitted: run.ownDeliveries })
    const unseen: Record<string, number> = {}
    for (const { userId, runs } of started) {
      for (let k = this.discovered.get(userId) ?? 0; k < runs; k++) {
        unseen[userId] = (unseen[userId] ?? 0) + 1
        const key = `${UNSEEN}${userId} #${k + 1}`
        this.bus.emit({
          kind: 'run_started',
          context: { user_id: userId, thread_id: '(unknown)', run_id: key, request_id: '(target)' }
        })
        this.bus.emit({ kind: 'run_completed', run_id: key, user_id: userId, emitted: 0 })
      }
    }
    return unseen
  }
}
