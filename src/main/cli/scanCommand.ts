import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { z } from 'zod'
import { scanFormatSchema, scanLanguageOptionSchema } from '../../shared/scanReport'
import { sarifReport } from '../scan/format/sarifReport'
import { textReport } from '../scan/format/textReport'
import { ScanInputError, scanFolder } from '../scan/scanFolder'
import { NothingToReplayError, scanScenario } from '../scan/scenario/scanScenario'
import { StartupEntryError } from '../scan/startupEntries'
import { CliUsageError } from './cliError'
import { parseCommandArgs } from './parseCommandArgs'

/** Exit codes of `scan`, documented in SCAN_USAGE and docs/scan.md. */
export const SCAN_EXIT = { clean: 0, found: 1, invalid: 2 } as const

const identifierPath = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/

const scanArgsSchema = z.strictObject({
  lang: scanLanguageOptionSchema.default('auto'),
  entry: z.array(z.string().min(1, 'an entry glob cannot be empty')).default([]),
  call: z
    .array(
      z
        .string()
        .regex(identifierPath, 'expected a function name such as get_websocket_manager or ws.get_manager')
    )
    .default([]),
  startup: z
    .array(
      z
        .string()
        .regex(
          /^[^:]+:[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/,
          'expected MODULE:FUNCTION, e.g. app.main:lifespan'
        )
    )
    .default([]),
  format: scanFormatSchema.default('text'),
  scenario: z.string().min(1).optional(),
  positionals: z.array(z.string()).length(1, 'give exactly one folder to scan')
})

export async function scanCommand(argv: string[], print: (line: string) => void): Promise<number> {
  const args = parseCommandArgs(
    'scan',
    argv,
    {
      lang: { type: 'string' },
      entry: { type: 'string', multiple: true },
      call: { type: 'string', multiple: true },
      startup: { type: 'string', multiple: true },
      format: { type: 'string' },
      scenario: { type: 'string' }
    },
    scanArgsSchema
  )
  let outcome
  try {
    outcome = await scanFolder({
      root: args.positionals[0] as string,
      language: args.lang,
      entries: args.entry,
      calls: args.call,
      startup: args.startup
    })
  } catch (error) {
    if (error instanceof ScanInputError || error instanceof StartupEntryError)
      throw new CliUsageError(`scan: ${error.message}`)
    throw error
  }
  const { report } = outcome
  const files = [...outcome.modules.keys()]
  if (args.format === 'json') print(JSON.stringify(report, null, 2))
  else if (args.format === 'sarif')
    print(JSON.stringify(sarifReport(report, resolve(report.root), files), null, 2))
  else for (const line of textReport(report, files)) print(line)
  if (args.scenario) await writeScenario(args.scenario, outcome)
  return report.exitCode
}

/** Writes the scenario, or says on stderr why there is none; the exit code stays the scan's. */
async function writeScenario(path: string, outcome: Awaited<ReturnType<typeof scanFolder>>): Promise<void> {
  let scenario
  try {
    scenario = scanScenario(outcome.report, outcome.modules, outcome.analysis.imports)
  } catch (error) {
    if (error instanceof NothingToReplayError) {
      console.error(`scan: ${error.message}`)
      return
    }
    throw error
  }
  try {
    await writeFile(path, `${JSON.stringify(scenario, null, 2)}\n`, 'utf8')
  } catch (error) {
    throw new CliUsageError(
      `scan: --scenario ${path}: ${error instanceof Error ? error.message : String(error)}`
    )
  }
  console.error(`scenario written to ${path}; replay it with: session-inspector run ${path}`)
}
