import { z } from 'zod'
import { InspectionBus } from '../runtime/inspection/inspectionBus'
import { Recorder } from '../runtime/inspection/recorder'
import { loadTargetFile } from '../target/loadTargetFile'
import { prepareTarget } from '../target/prepareTarget'
import { runTarget, TARGET_RUN_HISTORY } from '../target/runTarget'
import { TargetFileError } from '../target/targetFileError'
import { targetExitCode } from '../target/targetReport'
import { CliUsageError } from './cliError'
import { formatTargetReport } from './formatTargetReport'
import { intFlag, parseCommandArgs } from './parseCommandArgs'

export const TARGET_USAGE = `target <file.json> --users N --runs R [--url URL] [--record FILE] [--json]
  Points N simulated users at your own WebSocket backend, as the target file describes, runs R runs per user
  and audits every frame: owner ids, canary markers, missing and out-of-order events (docs/target-mode.md).
  Exit: 0 clean, 1 leak (ids or canary), 3 missing/out-of-order events, 5 incomplete, 2 bad arguments or file.`

const targetArgsSchema = z.strictObject({
  users: intFlag(z, 1, 2_000),
  runs: intFlag(z, 1, 1_000),
  url: z.string().min(1).optional(),
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
      record: { type: 'string' },
      json: { type: 'boolean' }
    },
    targetArgsSchema
  )
  const path = args.positionals[0] as string
  let prepared
  try {
    const file = await loadTargetFile(path)
    prepared = {
      file,
      users: prepareTarget(path, file, { users: args.users, ...(args.url ? { url: args.url } : {}) })
    }
  } catch (error) {
    if (error instanceof TargetFileError) throw new CliUsageError(`target: ${error.message}`)
    throw error
  }
  const bus = new InspectionBus(TARGET_RUN_HISTORY)
  const recorder = args.record ? new Recorder(bus, args.record, { includeHistory: true }) : null
  let report
  try {
    report = await runTarget(prepared.file, prepared.users, {
      runs: args.runs,
      bus,
      ...(args.url ? { url: args.url } : {})
    })
  } finally {
    await recorder?.close()
  }
  const exitCode = targetExitCode(report)
  if (args.json) print(JSON.stringify({ ...report, exitCode }, null, 2))
  else for (const line of formatTargetReport(report, exitCode)) print(line)
  return exitCode
}
