/** What an observe session saw, for `observe` and `observe --har` (text or --json). docs/observe-mode.md. */
export interface ObserveSummary {
  /** What was observed: the upstream URL, or the HAR file. */
  source: string
  connections: { total: number; attributed: number; unattributed: number; open: number }
  /** Per user, in order of first connection. */
  users: Array<{
    user_id: string
    connections: number
    /** Client -> server messages. */
    sent: number
    /** Server -> client messages. */
    received: number
    leaksReceived: number
    leaksCaused: number
  }>
  /** Connections of users past the bound on users listed one by one (MAX_LISTED_USERS). */
  untrackedConnections: number
  /** How many connections each rule named (a rule that names none is worth a second look). */
  rules: Array<{ rule: string; named: number }>
  /** Why unattributed connections were not attributed (distinct reasons, bounded), with counts. */
  unattributedReasons: Array<{ reason: string; connections: number }>
  frames: {
    clientToServer: number
    serverToClient: number
    binary: number
    /** Server -> client text frames that are not JSON (owner ids cannot be read; canaries are still looked for). */
    unparsed: number
    /** Frames over the judged bound: relayed and counted, not judged. */
    tooLarge: number
    /** Server -> client frames to connections no rule attributed: there is no one to judge them for. */
    toUnattributed: number
    /** Server -> client JSON frames where an --owner-id pointer read an id naming no observed user. */
    ownerIdUnknown: number
  }
  leaks: {
    /** Server -> client frames that reached a user they do not belong to (a frame counts once). */
    total: number
    /** Leaks per (owner, receiver) found by owner ids, with the pointer and how many frames. */
    byOwnerId: Array<{ owner: string; receiver: string; pointer: string; frames: number }>
    /** Leaks per (owner, receiver) found by canaries, with one canary as an example. */
    byCanary: Array<{ owner: string; receiver: string; frames: number; example: string }>
  }
  canaries: { held: number; learned: number; evicted: number; shared: number }
}

/** 0 clean, 1 a leak. */
export function observeExitCode(summary: ObserveSummary): 0 | 1 {
  return summary.leaks.total > 0 ? 1 : 0
}

/** The summary as text lines, leaks first. */
export function formatObserveSummary(summary: ObserveSummary): string[] {
  const { connections, frames, leaks } = summary
  const lines = [
    `observed ${summary.source}: ${connections.total} connection(s), ${connections.attributed} attributed, ${connections.unattributed} unattributed`
  ]
  if (leaks.total === 0 && connections.total > 0 && connections.attributed === 0)
    lines.push(
      'no leaks judged: no connection was attributed to a user, so no frame was judged (see why below)'
    )
  else if (leaks.total === 0) lines.push('no leaks: every judged frame reached its own user')
  else lines.push(`LEAKS: ${leaks.total} frame(s) reached a user they do not belong to`)
  for (const leak of leaks.byOwnerId)
    lines.push(
      `  ${leak.receiver} received ${leak.frames} frame(s) owned by ${leak.owner} (owner id ${leak.pointer})`
    )
  for (const leak of leaks.byCanary)
    lines.push(
      `  ${leak.receiver} received ${leak.frames} frame(s) carrying ${leak.owner}'s canary '${leak.example}'`
    )
  lines.push('users:')
  for (const user of summary.users)
    lines.push(
      `  ${user.user_id}: ${user.connections} connection(s), ${user.sent} sent, ${user.received} received, ${user.leaksReceived} leak(s) received, ${user.leaksCaused} caused`
    )
  if (summary.untrackedConnections > 0)
    lines.push(`  (${summary.untrackedConnections} connection(s) of users past the listed bound)`)
  for (const { reason, connections: count } of summary.unattributedReasons)
    lines.push(`  unattributed (${count}): ${reason}`)
  lines.push(`rules: ${summary.rules.map((rule) => `${rule.rule} named ${rule.named}`).join(', ')}`)
  lines.push(
    `frames: ${frames.clientToServer} client->server, ${frames.serverToClient} server->client (${frames.binary} binary), ${frames.unparsed} not JSON, ${frames.tooLarge} too large to judge, ${frames.toUnattributed} to unattributed connections, ${frames.ownerIdUnknown} with an owner id naming no observed user`
  )
  const { canaries } = summary
  lines.push(
    `canaries: ${canaries.held} held, ${canaries.learned} learned, ${canaries.shared} shared by several users, ${canaries.evicted} evicted`
  )
  return lines
}
