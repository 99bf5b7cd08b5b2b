import { z } from 'zod'
import { GROUP_SIZE_MAX, LOAD_BOUNDS } from '../../shared/targetFile'
import { TargetFileError } from '../target/targetFileError'
import {
  loadBound,
  resolveTargetOptions,
  runIdSchema,
  SHARD_SHAPE,
  TargetOptionError,
  type TargetOptionNames
} from '../target/targetRunOptions'
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

const CLI_NAMES: TargetOptionNames = {
  rampUp: '--ramp-up',
  arrivalRate: '--arrival-rate',
  runId: '--run-id',
  shard: '--shard'
}

const targetArgsSchema = z.strictObject({
  users: intFlag(z, 1, 10_000),
  runs: intFlag(z, 1, 1_000),
  url: z.string().min(1).optional(),
  'group-size': intFlag(z, 1, GROUP_SIZE_MAX).optional(),
  record: z.string().min(1).optional(),
  json: z.boolean().default(false),
  'ramp-up': intFlag(z, LOAD_BOUNDS.rampUpMs.min, LOAD_BOUNDS.rampUpMs.max).optional(),
  'arrival-rate': z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'expected users per second, e.g. 50 or 0.5')
    .transform(Number)
    .pipe(loadBound('arrivalRate', z.number()))
    .optional(),
  'think-time': intFlag(z, LOAD_BOUNDS.thinkTimeMs.min, LOAD_BOUNDS.thinkTimeMs.max).optional(),
  'connect-concurrency': intFlag(
    z,
    LOAD_BOUNDS.connectConcurrency.min,
    LOAD_BOUNDS.connectConcurrency.max
  ).optional(),
  'run-id': runIdSchema.optional(),
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
  let options
  try {
    options = resolveTargetOptions(
      {
        users: args.users,
        rampUpMs: args['ramp-up'],
        arrivalRate: args['arrival-rate'],
        thinkTimeMs: args['think-time'],
        connectConcurrency: args['connect-concurrency'],
        runId: args['run-id'],
        shard: args.shard
      },
      CLI_NAMES
    )
  } catch (error) {
    if (error instanceof TargetOptionError) throw new CliUsageError(`target: ${error.message}`)
    throw error
  }
  let summary
  try {
    summary = await targetSummary(path, {
      users: args.users,
      runs: args.runs,
      ...(args.url ? { url: args.url } : {}),
      ...(args['group-size'] === undefined ? {} : { groupSize: args['group-size'] }),
      ...(args.record ? { record: args.record } : {}),
      ...options
    })
  } catch (error) {
    if (error instanceof TargetFileError) throw new CliUsageError(`target: ${error.message}`)
    throw error
  }
  if (args.json) print(JSON.stringify(summary, null, 2))
  else for (const line of formatTargetReport(summary, summary.exitCode)) print(line)
  return summary.exitCode
}
