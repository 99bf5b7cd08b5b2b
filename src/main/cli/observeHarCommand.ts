import { z } from 'zod'
import { replayHar } from '../observe/har/auditHar'
import { HarError, readHarConnections, type HarConnection } from '../observe/har/readHar'
import { ObservedSession } from '../observe/observedSession'
import { formatObserveSummary, observeExitCode } from '../observe/observeSummary'
import { InspectionBus } from '../runtime/inspection/inspectionBus'
import { Recorder } from '../runtime/inspection/recorder'
import { CliUsageError } from './cliError'
import { observeJudgingFlags, observeJudgingOptions } from './observeJudgingFlags'
import { checkOutputPath } from './outputPath'
import { parseCommandArgs } from './parseCommandArgs'

/** The inspection history kept for a recording's start. */
const HAR_HISTORY = { historyLimit: 1_000, historyBytes: 256 * 1024 } as const

const observeHarArgsSchema = z
  .strictObject({
    har: z.array(z.string().min(1, 'a HAR file')).min(1),
    upstream: z.string().optional(),
    listen: z.string().optional(),
    ...observeJudgingFlags
  })
  .refine((args) => args.upstream === undefined && args.listen === undefined, {
    message: 'observe reads HAR files (--har) or relays a live upstream (--upstream, --listen), not both',
    path: ['har']
  })

/** Whether observe's arguments ask for the HAR mode (observeCommand hands them over then). */
export function wantsHar(argv: readonly string[]): boolean {
  return argv.some((arg) => arg === '--har' || arg.startsWith('--har='))
}

/** `observe --har FILE...`: audits HAR files as one observed session and prints the summary. */
export async function observeHarCommand(argv: string[], print: (line: string) => void): Promise<number> {
  const args = parseCommandArgs(
    'observe',
    argv,
    {
      har: { type: 'string', multiple: true },
      upstream: { type: 'string' },
      listen: { type: 'string' },
      ...observeJudgingOptions
    },
    observeHarArgsSchema
  )
  if (args.record) await checkOutputPath('record', args.record)
  const connections: HarConnection[] = []
  try {
    for (const path of args.har) connections.push(...(await readHarConnections(path)))
  } catch (error) {
    if (error instanceof HarError) throw new CliUsageError(`observe: --har ${error.message}`)
    throw error
  }
  if (connections.length === 0)
    console.error(
      `observe: ${args.har.join(', ')}: no WebSocket entries (_resourceType "websocket" or a 101 response); nothing to audit`
    )
  const bus = new InspectionBus(HAR_HISTORY)
  const recorder = args.record ? new Recorder(bus, args.record, { includeHistory: true }) : null
  const session = new ObservedSession({
    bus,
    rules: args['user-from'],
    ownerIds: args['owner-id'],
    canaries: !args['no-canaries'],
    source: args.har.join(', ')
  })
  try {
    replayHar(connections, session)
  } finally {
    await recorder?.close()
  }
  const summary = session.summary()
  const exitCode = observeExitCode(summary)
  if (args.json) print(JSON.stringify({ ...summary, exitCode }, null, 2))
  else for (const line of formatObserveSummary(summary)) print(line)
  return exitCode
}
