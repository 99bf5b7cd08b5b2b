import { z } from 'zod'
import { TargetFileError } from '../target/targetFileError'
import { CliUsageError } from './cliError'
import { formatTargetReport } from './formatTargetReport'
import { intFlag, parseCommandArgs } from './parseCommandArgs'
import { targetSummary } from './targetSummary'

export const TARGET_USAGE = `target <file.json> --users N --runs R [--url URL] [--group-size K] [--record FILE] [--json]
       [--ramp-up MS | --arrival-rate U] [--think-time MS] [--connect-concurrency C] [--run-id ID] [--shard I/N]
  Points N simulated users at your own WebSocket backend, as the target file describes, runs R runs per user
  and audits every frame: owner ids, canary markers, missing and out-of-order events (docs/target-mode.md).
  --group-size K replaces users.shareKey.groupSize: users share the key in groups of K (1: a key each).
  --ramp-up, --arrival-rate (users per second), --think-time and --connect-concurrency replace the file's load.
  --run-id ID derives canaries from ID; --shard I/N (0-based I, or auto/N to read JOB_COMPLETION_INDEX) runs
  only the I-th slice of the N users, for merge (session-inspector merge REC...).
  Exit: 0 clean, 1 leak (ids or canary), 3 missing/out-of-order events, 5 incomplete (also when owners were
  unreadable and runs went unseen), 2 bad arguments or file.`

const SHARD_SHAPE = /^(auto|\d+)\/(\d+)$/

const targetArgsSchema = z.strictObject({
  users: intFlag(z, 1, 10_000),
  runs: intFlag(z, 1, 1_000),
  url: z.string().min(1).optional(),
  'group-size': intFlag(z, 1, 10_000).optional(),
  record: z.string().min(1).optional(),
  json: z.boolean().default(false),
  'ramp-up': intFlag(z, 0, 3_600_000).optional(),
  'arrival-rate': z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'expected users per second, e.g. 50 or 0.5')
    .transform(Number)
    .pipe(z.number().min(0.01, 'must be at least 0.01').max(100_000, 'must be at most 100000'))
    .optional(),
  'think-time': intFlag(z, 0, 3_600_000).optional(),
  'connect-concurrency': intFlag(z, 1, 10_000).optional(),
  'run-id': z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'expected 1-100 letters, digits or _.:- (e.g. the job name)')
    .optional(),
  shard: z
    .string()
    .regex(SHARD_SHAPE, 'expected I/N (0-based I, e.g. 0/4) or auto/N (I from JOB_COMPLETION_INDEX)')
    .optional(),
  positionals: z
    .array(z.string())
    .length(1, 'expected exactly one argument: the target file (e.g. examples/plain-json.target.json)')
})

export async function targetCommand(argv: string[], print: (line: string) => void): Promise<number> {
  const args = parseCommandArgs(
    'target',
    argv,
    {
      users: { type: 'string' },
      runs: { type: 'string' },
      url: { type: 'string' },
      'group-size': { type: 'string' },
      record: { type: 'string' },
      json: { type: 'boolean' },
      'ramp-up': { type: 'string' },
      'arrival-rate': { type: 'string' },
      'think-time': { type: 'string' },
      'connect-concurrency': { type: 'string' },
      'run-id': { type: 'string' },
      shard: { type: 'string' }
    },
    targetArgsSchema
  )
  const path = args.positionals[0] as string
  if (args['ramp-up'] !== undefined && args['arrival-rate'] !== undefined)
    throw new CliUsageError('target: --ramp-up and --arrival-rate both say when users arrive; give one')
  const shard = args.shard === undefined ? undefined : parseShard(args.shard, args.users)
  if (shard && args['run-id'] === undefined)
    throw new CliUsageError(
      "target: --shard needs --run-id ID, the same for every shard, so that each derives every user's canary"
    )
  const load = {
    ...(args['ramp-up'] === undefined ? {} : { rampUpMs: args['ramp-up'] }),
    ...(args['arrival-rate'] === undefined ? {} : { arrivalRate: args['arrival-rate'] }),
    ...(args['think-time'] === undefined ? {} : { thinkTimeMs: args['think-time'] }),
    ...(args['connect-concurrency'] === undefined ? {} : { connectConcurrency: args['connect-concurrency'] })
  }
  let summary
  try {
    summary = await targetSummary(path, {
      users: args.users,
      runs: args.runs,
      ...(args.url ? { url: args.url } : {}),
      ...(args['group-size'] === undefined ? {} : { groupSize: args['group-size'] }),
      ...(args.record ? { record: args.record } : {}),
      load,
      ...(args['run-id'] === undefined ? {} : { runId: args['run-id'] }),
      ...(shard ? { shard } : {})
    })
  } catch (error) {
    if (error instanceof TargetFileError) throw new CliUsageError(`target: ${error.message}`)
    throw error
  }
  if (args.json) print(JSON.stringify(summary, null, 2))
  else for (const line of formatTargetReport(summary, summary.exitCode)) print(line)
  return summary.exitCode
}

/** `I/N` (0-based I) or `auto/N`, whose I is Kubernetes' JOB_COMPLETION_INDEX for an Indexed Job's pod. */
function parseShard(text: string, users: number): { index: number; count: number } {
  const [, given, total] = SHARD_SHAPE.exec(text) ?? []
  const count = Number(total)
  if (!Number.isInteger(count) || count < 1 || count > 1_000)
    throw new CliUsageError(`target: --shard: N must be 1 to 1000 (got ${total ?? text})`)
  if (count > users)
    throw new CliUsageError(
      `target: --shard: ${count} shards for ${users} user(s) leaves a shard with nobody`
    )
  let index: number
  if (given === 'auto') {
    const env = process.env.JOB_COMPLETION_INDEX
    if (env === undefined || !/^\d+$/.test(env))
      throw new CliUsageError(
        `target: --shard auto/${count}: JOB_COMPLETION_INDEX is ${env === undefined ? 'not set' : `'${env}', not a whole number`}; run it in a Kubernetes Indexed Job, or give the index (--shard 0/${count})`
      )
    index = Number(env)
  } else index = Number(given)
  if (index >= count)
    throw new CliUsageError(`target: --shard: index ${index} is past the last shard (0 to ${count - 1})`)
  return { index, count }
}
