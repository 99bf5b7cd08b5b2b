import type { PreparedUser } from './prepareTarget'

/** Finds users' canary markers in raw frame text: one pass of one alternation, whatever the number of users. */
export class CanaryIndex {
  private readonly pattern: RegExp
  private readonly owners = new Map<string, string>()

  constructor(users: readonly Pick<PreparedUser, 'userId' | 'canary'>[]) {
    for (const user of users) this.owners.set(user.canary, user.userId)
    const alternatives = [...this.owners.keys()].map((canary) =>
      canary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    )
    // Markers contain no other marker (prepareTarget checks), so leftmost-first alternation finds each one.
    this.pattern = alternatives.length > 0 ? new RegExp(alternatives.join('|'), 'g') : /(?!)/g
  }

  /** The users, other than the receiver, whose markers appear in `text`, each once. */
  foreignOwners(text: string, receiverUserId: string): string[] {
    const found = new Set<string>()
    for (const match of text.matchAll(this.pattern)) {
      const owner = this.owners.get(match[0])
      if (owner !== undefined && owner !== receiverUserId) found.add(owner)
    }
    return [...found]
  }
}
