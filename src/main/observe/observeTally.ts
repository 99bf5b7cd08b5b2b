import type { SettledAttribution } from './attribution'
import type { TaintCounts } from './canaryTaint'
import type { FrameDirection } from './relayObserver'
import type { ObserveSummary } from './observeSummary'

/** Users listed one by one in the summary; later users' connections are counted together. */
export const MAX_LISTED_USERS = 10_000
/** Distinct (owner, receiver) leak pairs listed, and distinct reasons for unattributed connections. */
export const MAX_LISTED_PAIRS = 1_000
export const MAX_LISTED_REASONS = 20

type UserRow = ObserveSummary['users'][number]
type Counter = 'unparsed' | 'tooLarge' | 'toUnattributed' | 'ownerIdUnknown' | 'leakingFrames'

/** The counts behind an observe summary, each bounded (see the constants). */
export class ObserveTally {
  private readonly users = new Map<string, UserRow>()
  private readonly rulesNamed: Map<string, number>
  private readonly reasons = new Map<string, number>()
  private readonly ownerIdLeaks = new Map<string, ObserveSummary['leaks']['byOwnerId'][number]>()
  private readonly canaryLeaks = new Map<string, ObserveSummary['leaks']['byCanary'][number]>()
  private readonly connections = { total: 0, attributed: 0, unattributed: 0, open: 0 }
  private readonly frames = {
    clientToServer: 0,
    serverToClient: 0,
    binary: 0,
    unparsed: 0,
    tooLarge: 0,
    toUnattributed: 0,
    ownerIdUnknown: 0
  }
  private leakingFrames = 0
  private untrackedConnections = 0
  /**
   * The owners and receiver of the frame being judged: a frame found by owner id and by canary (or carrying two
   * canaries of one owner) is one leak for each user, counted when the frame's judging ends (`leakingFrames`).
   */
  private readonly frameOwners = new Set<string>()
  private frameReceiver: string | null = null

  constructor(
    private readonly source: string,
    rules: readonly string[]
  ) {
    this.rulesNamed = new Map(rules.map((rule) => [rule, 0]))
  }

  opened(): void {
    this.connections.total += 1
    this.connections.open += 1
  }

  closed(): void {
    this.connections.open -= 1
  }

  attributed(userId: string | null, rule: string | null, attribution: SettledAttribution): void {
    if (userId === null || rule === null) {
      this.connections.unattributed += 1
      const reason =
        attribution.kind === 'unattributed' ? attribution.problems.join('; ') : 'no rule named a user'
      if (this.reasons.has(reason) || this.reasons.size < MAX_LISTED_REASONS)
        this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1)
      return
    }
    this.connections.attributed += 1
    this.rulesNamed.set(rule, (this.rulesNamed.get(rule) ?? 0) + 1)
    const row = this.row(userId, true)
    if (row) row.connections += 1
    else this.untrackedConnections += 1
  }

  /** Whether a user id is one a connection was attributed to (among the listed users). */
  knowsUser(userId: string): boolean {
    return this.users.has(userId)
  }

  frame(userId: string | null, direction: FrameDirection, binary: boolean): void {
    if (binary) this.frames.binary += 1
    const row = userId === null ? undefined : this.users.get(userId)
    if (direction === 'client_to_server') {
      this.frames.clientToServer += 1
      if (row) row.sent += 1
    } else {
      this.frames.serverToClient += 1
      if (row) row.received += 1
    }
  }

  count(counter: Counter): void {
    if (counter === 'leakingFrames') this.endLeakingFrame()
    else this.frames[counter] += 1
  }

  ownerIdLeak(owner: string, receiver: string, pointer: string): void {
    this.blame(owner, receiver)
    const key = `${owner}\u0000${receiver}\u0000${pointer}`
    const pair = this.ownerIdLeaks.get(key)
    if (pair) pair.frames += 1
    else if (this.ownerIdLeaks.size < MAX_LISTED_PAIRS)
      this.ownerIdLeaks.set(key, { owner, receiver, pointer, frames: 1 })
  }

  canaryLeak(owner: string, receiver: string, canary: string): void {
    this.blame(owner, receiver)
    const key = `${owner}\u0000${receiver}`
    const pair = this.canaryLeaks.get(key)
    if (pair) pair.frames += 1
    else if (this.canaryLeaks.size < MAX_LISTED_PAIRS)
      this.canaryLeaks.set(key, { owner, receiver, frames: 1, example: canary })
  }

  summary(taint: TaintCounts, held: number): ObserveSummary {
    return {
      source: this.source,
      connections: { ...this.connections },
      users: [...this.users.values()].map((row) => ({ ...row })),
      untrackedConnections: this.untrackedConnections,
      rules: [...this.rulesNamed].map(([rule, named]) => ({ rule, named })),
      unattributedReasons: [...this.reasons].map(([reason, connections]) => ({ reason, connections })),
      frames: { ...this.frames },
      leaks: {
        total: this.leakingFrames,
        byOwnerId: [...this.ownerIdLeaks.values()].map((pair) => ({ ...pair })),
        byCanary: [...this.canaryLeaks.values()].map((pair) => ({ ...pair }))
      },
      canaries: { held, ...taint }
    }
  }

  private blame(owner: string, receiver: string): void {
    this.frameOwners.add(owner)
    this.frameReceiver = receiver
  }

  private endLeakingFrame(): void {
    this.leakingFrames += 1
    for (const owner of this.frameOwners) {
      const ownerRow = this.users.get(owner)
      if (ownerRow) ownerRow.leaksCaused += 1
    }
    const receiverRow = this.frameReceiver === null ? undefined : this.users.get(this.frameReceiver)
    if (receiverRow) receiverRow.leaksReceived += 1
    this.frameOwners.clear()
    this.frameReceiver = null
  }

  private row(userId: string, create: boolean): UserRow | undefined {
    let row = this.users.get(userId)
    if (row === undefined && create && this.users.size < MAX_LISTED_USERS) {
      row = { user_id: userId, connections: 0, sent: 0, received: 0, leaksReceived: 0, leaksCaused: 0 }
      this.users.set(userId, row)
    }
    return row
  }
}
