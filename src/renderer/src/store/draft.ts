import { ringClone, ringPush, type Ring } from './ring'
import type { Lane, ManagerView, UserView } from './state'
import { type InspectorState } from './state'

/**
 * Copy-on-write view of one batch's next state. Every nested object is copied at most once per batch, the first
 * time the batch writes to it, so the input state is never mutated and a batch costs O(events + touched objects).
 */
export class BatchDraft {
  readonly next: InspectorState
  private readonly owned = new Set<object>()

  constructor(previous: InspectorState) {
    this.next = {
      ...previous,
      phase: { ...previous.phase },
      contracts: { ...previous.contracts },
      factory: { ...previous.factory, managers: { ...previous.factory.managers } },
      users: { ...previous.users },
      lanes: { ...previous.lanes },
      violations: { ...previous.violations },
      missing: { ...previous.missing },
      warnings: { ...previous.warnings },
      errors: { ...previous.errors },
      canaryLeaks: { ...previous.canaryLeaks },
      unparsedFrames: { ...previous.unparsedFrames },
      unreadableOwners: { ...previous.unreadableOwners }
    }
  }

  private own<T extends object>(value: T, clone: (value: T) => T): T {
    if (this.owned.has(value)) return value
    const copy = clone(value)
    this.owned.add(copy)
    return copy
  }

  /** Appends to a ring of the draft, copying it first if this batch has not yet; returns what fell out. */
  push<K extends string, T>(holder: Record<K, Ring<T>>, key: K, item: T): T | undefined {
    const ring = this.own(holder[key], ringClone)
    holder[key] = ring
    return ringPush(ring, item)
  }

  modules(): InspectorState['modules'] {
    this.next.modules = this.own(this.next.modules, (modules) => ({ ...modules }))
    return this.next.modules
  }

  user(userId: string): UserView | undefined {
    const current = this.next.users[userId]
    // Once it is this batch's own, reading it back costs one lookup: no copy, nothing written back.
    if (current === undefined || this.owned.has(current)) return current
    const user = this.adopt(cloneUser(current))
    this.next.users[userId] = user
    return user
  }

  lane(userId: string): Lane | undefined {
    const current = this.next.lanes[userId]
    if (current === undefined || this.owned.has(current)) return current
    const lane = this.adopt(cloneLane(current))
    this.next.lanes[userId] = lane
    return lane
  }

  manager(managerId: string): ManagerView | undefined {
    const current = this.next.factory.managers[managerId]
    if (current === undefined || this.owned.has(current)) return current
    const manager = this.adopt({ ...current, connections: { ...current.connections } })
    this.next.factory.managers[managerId] = manager
    return manager
  }

  /** Marks an object created during this batch as safe to mutate. */
  adopt<T extends object>(value: T): T {
    this.owned.add(value)
    return value
  }
}

function cloneUser(user: UserView): UserView {
  return {
    ...user,
    deliveredByType: { ...user.deliveredByType },
    deliveryLatency: { ...user.deliveryLatency },
    runLatency: { ...user.runLatency },
    openRuns: { ...user.openRuns }
  }
}

function cloneLane(lane: Lane): Lane {
  return {
    user_id: lane.user_id,
    entries: ringClone(lane.entries),
    summary: { ...lane.summary, foldedByType: { ...lane.summary.foldedByType } }
  }
}
