import { z } from 'zod'
import { MergeInputError, mergeShards, readShardRecording, type ShardRecording } from '../target/mergeShards'
import { CliUsageError } from './cliError'
import { formatTargetReport } from './formatTargetReport'
import { parseCommandArgs } from './parseCommandArgs'

const mergeArgsSchema = z.strictObject({
  json: z.boolean().default(false),
  positionals: z.array(z.string().min(1))
})

/** `merge REC... [--json]`: one report and one exit code for the shards of a run, as if one process had run it. */
export async function mergeCommand(argv: string[], print: (line: string) => void): Promise<number> {
  const args = parseCommandArgs('merge', argv, { json: { type: 'boolean' } }, mergeArgsSchema)
  if (args.positionals.length === 0)
    throw new CliUsageError(
      "merge: give the shards' recordings, e.g. merge shard-0.ndjson shard-1.ndjson (each target --shard's --record)"
    )
  const recordings: ShardRecording[] = []
  let merged
  try {
    for (const path of args.positionals) recordings.push(await readShardRecording(path))
    merged = mergeShards(recordings)
  } catch (error) {
    if (error instanceof MergeInputError) throw new CliUsageError(`merge: ${error.message}`)
    throw error
  }
  const shard = recordings[0]?.started.shard
  if (args.json) print(JSON.stringify({ ...merged, runId: shard?.run_id, shards: shard?.count }, null, 2))
  else {
    print(`merged:             ${shard?.count} shard(s) of run ${shard?.run_id}`)
    for (const line of formatTargetReport(merged, merged.exitCode)) print(line)
  }
  return merged.exitCode
}
