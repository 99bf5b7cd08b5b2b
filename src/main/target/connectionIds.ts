/**
 * Connection ids of target mode: a user's first connection is `target-<index>`, its other tabs `target-<index>.2`,
 * `.3`, ... The auditor's Receiver carries only the id, so the tab is read back from it.
 */
export function targetConnectionId(user: { index: number }, connection = 0): string {
  return connection === 0 ? `target-${user.index}` : `target-${user.index}.${connection + 1}`
}

/** Which of its user's connections (0-based) an id names: 0 for the first, or for an id that is not a tab's. */
export function tabOf(connectionId: string): number {
  if (!connectionId.includes('.')) return 0
  const match = /^target-\d+\.(\d+)$/.exec(connectionId)
  return match ? Number(match[1]) - 1 : 0
}
