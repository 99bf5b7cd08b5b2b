import { readFile, stat } from 'node:fs/promises'
import { z } from 'zod'
import { recordingToHar, RecordingToHarError } from '../observe/har/recordingToHar'
import { CliUsageError } from './cliError'
import { checkOutputPath } from './outputPath'
import { parseCommandArgs } from './parseCommandArgs'

const harArgsSchema = z.strictObject({
  out: z
    .string({ error: 'required: the HAR file to write, e.g. --out session.har' })
    .min(1, 'required: the HAR file to write, e.g. --out session.har'),
  positionals: z.array(z.string()).length(1, 'expected exactly one argument: the recording (.ndjson)')
})

/** `har <recording> --out FILE`: writes the recording as HAR and says how many entries and messages it holds. */
export async function harCommand(argv: string[], print: (line: string) => void): Promise<number> {
  const args = parseCommandArgs('har', argv, { out: { type: 'string' } }, harArgsSchema)
  const recording = args.positionals[0] as string
  const out = args.out
  const info = await stat(recording).catch(() => null)
  if (!info?.isFile()) throw new CliUsageError(`har: ${recording}: no such recording file`)
  await checkOutputPath('out', out)
  try {
    const written = await recordingToHar(recording, out, await packageVersion())
    print(`har: wrote ${out}: ${written.entries} connection(s), ${written.messages} message(s)`)
    return 0
  } catch (error) {
    if (error instanceof RecordingToHarError) throw new CliUsageError(`har: ${error.message}`)
    throw error
  }
}

async function packageVersion(): Promise<string> {
  const text = await readFile(new URL('../../../package.json', import.meta.url), 'utf8')
  const parsed = z.object({ version: z.string() }).safeParse(JSON.parse(text))
  return parsed.success ? parsed.data.version : '0.0.0'
}
