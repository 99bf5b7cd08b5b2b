import { z } from 'zod'
import { TargetFileError } from '../target/targetFileError'
import { CliUsageError } from './cliError'
import { formatTargetReport } from './formatTargetReport'
import { intFlag, parseCommandArgs } from './parseCommandArgs'
import { targetSummary } from './targetSummary'

export const TARGET_USAGE = `target <file.json> --users N --runs R [--url URL] [--group-size K] [--record FILE] [--json]
  Points N simulated users at your own WebSocket backend, as the target file describes, runs R runs per user
  and audits every frame: owner ids, canary markers, missing and out-of-order events (docs/target-mode.md).
  --group-size K replaces users.shareKey.groupSize: users share the key in groups of K (1: a key each).
  Exit: 0 clean, 1 leak (ids or canary), 3 missing/out-of-order events, 5 incomplete (also when owners were
  unreadable and runs went unseen), 2 bad arguments or file.`

const targetArgsSchema = z.strictObject({
  users: intFlag(z, 1, 2_000),
  runs: intFlag(z, 1, 1_000),
  url: z.string().min(1).optional(),
  'group-size': intFlag(z, 1, 10_000).optional(),
  record: z.string().min(1).optional(),
  json: z.boolean().default(false),
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
      json: { type: 'boolean' }
    },
    targetArgsSchema
  )
  const path = args.positionals[0] as string
  let summary
  try {
    summary = await targetSummary(path, {
      users: args.users,
      runs: args.runs,
      ...(args.url ? { url: args.url } : {}),
      ...(args['group-size'] === undefined ? {} : { groupSize: args['group-size'] }),
      ...(args.record ? { record: args.record } : {})
    })
  } catch (error) {
    if (error instanceof TargetFileError) throw new CliUsageError(`target: ${error.message}`)
    throw error
  }
  if (args.json) print(JSON.stringify(summary, null, 2))
  else for (const line of formatTargetReport(summary, summary.exitCode)) print(line)
  return summary.exitCode
}
