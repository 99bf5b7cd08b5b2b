/** Kept apart from mergeCommand so that the CLI's help does not load the merge code. */
export const MERGE_USAGE = `merge <shard.ndjson>... [--json]
  Audits the recordings of a sharded target run together (target --shard I/N --run-id ID --record FILE, one per
  shard): same run id, target file, users and runs, every shard once. Prints the report of the whole run.
  Exit: as target (0 clean, 1 leak, 3 missing/out-of-order, 5 incomplete); 2 recordings that cannot be merged.`
