import { createHash } from 'node:crypto'

/** One shard of a run too big for one machine: this process runs users `from`..`to` (1-based) of `total`. */
export interface ShardSlice {
  /** 0-based, as Kubernetes' JOB_COMPLETION_INDEX. */
  index: number
  count: number
  from: number
  to: number
}

/**
 * Contiguous slices of the global user indices, as even as they come: shard i of n gets users
 * floor(i*N/n)+1 .. floor((i+1)*N/n), so users of one shareKey group mostly stay together.
 */
export function shardSlice(index: number, count: number, total: number): ShardSlice {
  return {
    index,
    count,
    from: Math.floor((index * total) / count) + 1,
    to: Math.floor(((index + 1) * total) / count)
  }
}

/**
 * The `{{nonce}}` every shard derives from the run id, so that every shard renders the same canary, ids and shared
 * keys for every global user index: a shard can then tell another shard's user's canary from a stranger's.
 */
export function runNonce(runId: string): string {
  return createHash('sha256').update(`session-inspector run ${runId}`).digest('hex').slice(0, 8)
}
