import { openAsBlob } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import { inspectionEventSchema, type InspectionKind } from '../../shared/inspection'
import { readLines } from '../../shared/lineReader'
import { checkRecordingLine } from '../../shared/recordingFormat'
import { boundedBlobSource, LineTooLongError } from './boundedBlobSource'
import type { Progress } from './progress'
import { RecordingDigest, type RecordingFilter } from './recordingDigest'
import { guardTool, jsonResult, ToolInputError } from './toolCall'

const INSPECTION_KINDS = inspectionEventSchema.options.map((option) => option.shape.kind.value) as [
  InspectionKind,
  ...InspectionKind[]
]
/** Pieces the file is read in. */
const CHUNK_BYTES = 1024 * 1024
/** The longest line accepted: an event line is a few hundred bytes (excerpts are cut at 200 characters). */
export const MAX_LINE_BYTES = 1024 * 1024
export const MAX_SHOWN_EVENTS = 1_000

export const readRecordingInput = {
  path: z
    .string()
    .min(1)
    .max(4096)
    .describe(
      "Path to a recording (NDJSON, docs/recordings.md), relative to the server's working directory: what " +
        '`load --record`, `target --record` and the Sessions tab write.'
    ),
  kinds: z
    .array(z.enum(INSPECTION_KINDS))
    .max(INSPECTION_KINDS.length)
    .optional()
    .describe('Only events of these kinds (default: every kind).'),
  user_id: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .describe('Only events that name this user (as owner, receiver, canary owner or in their context).'),
  violations_only: z
    .boolean()
    .default(false)
    .describe('Only leaks: isolation_violation, canary_leak and observed_leak events.'),
  limit: z
    .number()
    .int()
    .min(0)
    .max(MAX_SHOWN_EVENTS)
    .default(20)
    .describe(`How many matching events to return, the first ones (0 to ${MAX_SHOWN_EVENTS}, default 20).`)
}
type ReadRecordingArgs = z.output<z.ZodObject<typeof readRecordingInput>>

export function registerReadRecording(server: McpServer): void {
  server.registerTool(
    'read_recording',
    {
      title: 'Read a recording',
      description:
        'Streams a recording of any size in bounded memory, checking every line against the format. Returns ' +
        'its counts (events, by kind, violations, canary leaks, observed leaks), the leaks by pair (from -> to: ' +
        'events by ids, frames by canary; the 50 largest), how many events match the filter, and the first ' +
        '`limit` of them. ' +
        'A bad line stops the reading there (stoppedAt names it; what came before is counted); a torn last ' +
        'line is reported as tornLastLine. Progress: bytes read of the file size.',
      inputSchema: readRecordingInput,
      annotations: { readOnlyHint: true, openWorldHint: false }
    },
    guardTool('read_recording', async (args, extra, progress) =>
      jsonResult(await readRecording(args, extra.signal, progress))
    )
  )
}

async function readRecording(args: ReadRecordingArgs, signal: AbortSignal, progress: Progress) {
  const blob = await openRecording(args.path)
  const filter: RecordingFilter = {
    violationsOnly: args.violations_only,
    limit: args.limit,
    ...(args.kinds ? { kinds: args.kinds } : {}),
    ...(args.user_id ? { userId: args.user_id } : {})
  }
  const digest = new RecordingDigest(filter)
  let version = 1
  let lines = 0
  let seenFirst = false
  let tornLastLine = false
  let stoppedAt: { line: number; problem: string } | null = null
  try {
    reading: for await (const batch of readLines(boundedBlobSource(blob, MAX_LINE_BYTES), CHUNK_BYTES)) {
      if (signal.aborted) throw new ToolInputError('cancelled by the client')
      for (const [index, text] of batch.texts.entries()) {
        lines += 1
        if (text.trim() === '') continue
        const checked = checkRecordingLine(text, !seenFirst)
        const first = !seenFirst
        seenFirst = true
        if (checked.kind === 'event') digest.add(checked.event)
        else if (checked.kind === 'header') version = checked.version
        else if (first)
          throw new ToolInputError(
            `${args.path} is not a recording: line ${lines}: ${checked.problem}${harHint(args.path, text)}`
          )
        else if (checked.notJson && batch.unterminatedLast && index === batch.texts.length - 1)
          tornLastLine = true
        else {
          stoppedAt = { line: lines, problem: checked.problem }
          break reading
        }
      }
      progress.report(
        batch.end,
        blob.size,
        `${batch.end} of ${blob.size} bytes read, ${digest.events} events`
      )
    }
  } catch (error) {
    if (error instanceof LineTooLongError)
      throw new ToolInputError(
        `${args.path} is not a recording: ${error.message} (an event is one short line)${harHint(args.path, '')}`
      )
    throw error
  }
  return { path: args.path, version, bytes: blob.size, lines, tornLastLine, stoppedAt, ...digest.summary() }
}

async function openRecording(path: string): Promise<Blob> {
  const found = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new ToolInputError(
      error.code === 'ENOENT' ? `no file at ${path}` : `${path} cannot be read: ${error.message}`
    )
  })
  if (!found.isFile()) throw new ToolInputError(`${path} is not a file`)
  return openAsBlob(path)
}

/** A HAR (a `.har` file, or one whose first line opens `{"log":`) is a recording of another kind: say what reads it. */
function harHint(path: string, firstLine: string): string {
  const looksLikeHar = /\.har$/i.test(path) || /^\s*\{\s*"log"\s*:/.test(firstLine)
  return looksLikeHar
    ? '; a HAR file is audited with session-inspector observe --har FILE (docs/observe-mode.md)'
    : ''
}
