import { readFileSync } from 'node:fs'

/** Descriptors kept for everything that is not a user's socket: files, the recording, stdio, HTTP steps. */
const SPARE_DESCRIPTORS = 64

/** This process's soft limit on open files (Node raises it to the hard limit at start-up); null where unknown. */
export function openFileLimit(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((row) => row.startsWith('Max open files'))
    const soft = line?.split(/\s{2,}/)[1]
    return soft === undefined || soft === 'unlimited' ? null : Number(soft)
  } catch {
    return null
  }
}

/**
 * Why `sockets` sockets will not fit in this process's file descriptors, or null when they will (or the limit is
 * unknown). Past the limit every further connect fails with EMFILE, so it is said before anything connects.
 */
export function descriptorShortfall(sockets: number, limit = openFileLimit()): string | null {
  if (limit === null || sockets + SPARE_DESCRIPTORS <= limit) return null
  return (
    `${sockets} sockets need about ${sockets + SPARE_DESCRIPTORS} file descriptors, but this process may open ` +
    `${limit} (ulimit -n); raise the limit (ulimit -n ${Math.max(65_536, sockets * 2)}, or LimitNOFILE in a ` +
    `service), lower --users, or split the run with --shard`
  )
}
