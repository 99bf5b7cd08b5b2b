/** Canaries kept per user; past it the one learned (or seen sent again) longest ago goes. */
export const CANARIES_PER_USER = 512
/** Users whose canaries are kept; past it the user who sent a canary longest ago loses theirs. */
export const CANARY_USERS = 1_000
/** Canaries kept in all (at most 200 characters each: about 30 MB at worst); past it the least recent user's oldest goes. */
export const MAX_CANARIES = 100_000
/** Strings remembered as not one user's own (sent by several users, or by the server first, or field names). */
export const PUBLIC_STRINGS = 50_000

/** Remembers strings in insertion order up to a bound, dropping the oldest. */
class BoundedSet {
  private readonly items = new Set<string>()
  constructor(private readonly limit: number) {}
  has(item: string): boolean {
    return this.items.has(item)
  }
  add(item: string): void {
    if (this.items.has(item)) return
    this.items.add(item)
    if (this.items.size > this.limit) this.items.delete(this.items.values().next().value as string)
  }
  get size(): number {
    return this.items.size
  }
}

export interface TaintCounts {
  learned: number
  evicted: number
  /** Strings that stopped being canaries because a second user sent them. */
  shared: number
}

/**
 * Taint tracking across users: the distinctive strings each user sent (their canaries), and the check of a
 * server -> client frame's strings against other users' canaries. A string is never one user's when another
 * user sent it too, when the server sent it to another connection before this user sent it, or when it is a
 * field name of the protocol. Memory is bounded by the constants above, oldest out.
 */
export class CanaryTaint {
  /** canary -> the user who sent it. */
  private readonly owner = new Map<string, string>()
  /** user -> their canaries, oldest first (a Set keeps insertion order; re-sending moves one to the end). */
  private readonly byUser = new Map<string, Set<string>>()
  private readonly publicStrings = new BoundedSet(PUBLIC_STRINGS)
  /** Strings the server sent before any user did, with the one user they went to ('' once several). */
  private readonly serverSent = new Map<string, string>()
  readonly counts: TaintCounts = { learned: 0, evicted: 0, shared: 0 }

  constructor(private readonly perUser = CANARIES_PER_USER) {}

  /** A field name of the protocol: never a canary. */
  noteFieldName(name: string): void {
    if (!this.publicStrings.has(name)) this.makePublic(name)
  }

  /** `userId` sent these strings. */
  learn(userId: string, strings: Iterable<string>): void {
    for (const text of strings) {
      if (this.publicStrings.has(text)) continue
      const sentTo = this.serverSent.get(text)
      if (sentTo !== undefined && sentTo !== userId) {
        this.makePublic(text)
        continue
      }
      const current = this.owner.get(text)
      if (current !== undefined && current !== userId) {
        this.counts.shared += 1
        this.makePublic(text)
        continue
      }
      this.remember(userId, text, current === undefined)
    }
  }

  /**
   * The users other than `receiverId` whose canaries are among `strings` (a server -> client frame's), each with
   * the first such canary. Strings no user owns are remembered as sent by the server to this receiver.
   */
  foreignOwners(receiverId: string, strings: Iterable<string>): Map<string, string> {
    const found = new Map<string, string>()
    for (const text of strings) {
      const owner = this.owner.get(text)
      if (owner === undefined) {
        this.noteServerSent(text, receiverId)
        continue
      }
      if (owner !== receiverId && !found.has(owner)) found.set(owner, text)
    }
    return found
  }

  /** Canaries held now. */
  get size(): number {
    return this.owner.size
  }

  private remember(userId: string, text: string, fresh: boolean): void {
    let mine = this.byUser.get(userId)
    if (mine === undefined) {
      mine = new Set()
      this.byUser.set(userId, mine)
      if (this.byUser.size > CANARY_USERS) this.forgetUser(this.byUser.keys().next().value as string)
    } else {
      // This user is the most recent sender: move them to the end of the users' order.
      this.byUser.delete(userId)
      this.byUser.set(userId, mine)
    }
    mine.delete(text)
    mine.add(text)
    if (fresh) {
      this.owner.set(text, userId)
      this.counts.learned += 1
    }
    if (mine.size > this.perUser) this.evictOldestOf(userId)
    // Users are in order of their last canary: the first is the least recent, and never empty (emptied ones go).
    if (this.owner.size > MAX_CANARIES) this.evictOldestOf(this.byUser.keys().next().value as string)
  }

  private evictOldestOf(userId: string): void {
    const theirs = this.byUser.get(userId)
    const oldest = theirs?.values().next().value
    if (theirs === undefined || oldest === undefined) return
    theirs.delete(oldest)
    this.owner.delete(oldest)
    this.counts.evicted += 1
    if (theirs.size === 0) this.byUser.delete(userId)
  }

  private forgetUser(userId: string): void {
    const theirs = this.byUser.get(userId)
    if (theirs === undefined) return
    for (const text of theirs) this.owner.delete(text)
    this.counts.evicted += theirs.size
    this.byUser.delete(userId)
  }

  private makePublic(text: string): void {
    this.publicStrings.add(text)
    this.serverSent.delete(text)
    const owner = this.owner.get(text)
    if (owner === undefined) return
    this.owner.delete(text)
    const theirs = this.byUser.get(owner)
    theirs?.delete(text)
    if (theirs?.size === 0) this.byUser.delete(owner)
  }

  private noteServerSent(text: string, receiverId: string): void {
    if (this.publicStrings.has(text)) return
    const before = this.serverSent.get(text)
    if (before === undefined) {
      this.serverSent.set(text, receiverId)
      if (this.serverSent.size > PUBLIC_STRINGS)
        this.serverSent.delete(this.serverSent.keys().next().value as string)
    } else if (before !== receiverId && before !== '') this.serverSent.set(text, '')
  }
}
