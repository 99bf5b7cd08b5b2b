import { z } from 'zod'
import { inspectionEventSchema, type InspectionEvent } from './inspection'
import { isInspectionEvent } from './inspectionEventCheck'
import { parseJson } from './json'

/**
 * A recording is NDJSON: a header line naming the format and its version, then one inspection event a line.
 * Recordings written before the header existed (version 1) start with their first event; they still open.
 * See docs/recordings.md.
 */
export const RECORDING_FORMAT = 'session-inspector-recording'
/** The version the Recorder writes. */
export const RECORDING_VERSION = 2
/** Every version this build reads: 1 is the headerless original. */
export const READABLE_RECORDING_VERSIONS: readonly number[] = [1, 2]

export const recordingHeaderSchema = z.strictObject({
  format: z.literal(RECORDING_FORMAT),
  version: z.number().int().positive()
})
export type RecordingHeader = z.infer<typeof recordingHeaderSchema>

/** The header line the Recorder writes first, without its newline. */
export function recordingHeaderLine(): string {
  return JSON.stringify({ format: RECORDING_FORMAT, version: RECORDING_VERSION } satisfies RecordingHeader)
}

export type RecordingLine =
  | { kind: 'event'; event: InspectionEvent }
  | { kind: 'header'; version: number }
  /** `notJson`: the line does not parse at all, which on a file's last line without newline is a torn write. */
  | { kind: 'bad'; problem: string; notJson: boolean }

/**
 * Checks one line of a recording (no newline, CR already trimmed). `first`: it is the first non-blank line, the
 * only place a header may stand.
 */
export function checkRecordingLine(text: string, first: boolean): RecordingLine {
  const parsed = parseJson(text)
  if (!parsed.ok) return { kind: 'bad', problem: `not JSON: ${parsed.error}`, notJson: true }
  const value = parsed.value
  if (first && typeof value === 'object' && value !== null && 'format' in value) return checkHeader(value)
  if (isInspectionEvent(value)) return { kind: 'event', event: value }
  // Rejected, or not even an object: zod, the schema's one definition, names the problem.
  const event = inspectionEventSchema.safeParse(value)
  if (event.success) return { kind: 'event', event: event.data }
  const issue = event.error.issues[0]
  const problem = `not an inspection event: '${issue?.path.join('.') || '(root)'}' ${issue?.message ?? ''}`
  return { kind: 'bad', problem: problem.trim(), notJson: false }
}

function checkHeader(value: object): RecordingLine {
  const header = recordingHeaderSchema.safeParse(value)
  if (!header.success) {
    return {
      kind: 'bad',
      problem: `not a Session Inspector recording header (expected {"format":"${RECORDING_FORMAT}","version":N})`,
      notJson: false
    }
  }
  const { version } = header.data
  if (!READABLE_RECORDING_VERSIONS.includes(version)) {
    return {
      kind: 'bad',
      problem:
        `recording format version ${version} is not supported by this build ` +
        `(it reads versions ${READABLE_RECORDING_VERSIONS.join(', ')}); open it with a newer Session Inspector`,
      notJson: false
    }
  }
  return { kind: 'header', version }
}

export type RecordingRead =
  | { ok: true; events: InspectionEvent[]; tornLastLine: boolean; version: number }
  | { ok: false; line: number; problem: string; eventsBefore: number }

/**
 * Reads a whole recording held as text (small ones: a target run's stream, tests), validating every line. A last
 * line without its newline that does not parse is a torn write (the recorder was killed): the complete events load
 * and the tear is reported. Any other bad line is an error that names its line number.
 */
export function readRecordingText(text: string): RecordingRead {
  const lines = text.split('\n')
  const endsWithNewline = text.endsWith('\n')
  if (endsWithNewline) lines.pop()
  const events: InspectionEvent[] = []
  let version = 1
  let first = true
  for (let index = 0; index < lines.length; index++) {
    const line = trimCr(lines[index] as string)
    if (line.trim() === '') continue
    const checked = checkRecordingLine(line, first)
    first = false
    if (checked.kind === 'event') events.push(checked.event)
    else if (checked.kind === 'header') version = checked.version
    else if (checked.notJson && index === lines.length - 1 && !endsWithNewline) {
      return { ok: true, events, tornLastLine: true, version }
    } else return { ok: false, line: index + 1, problem: checked.problem, eventsBefore: events.length }
  }
  return { ok: true, events, tornLastLine: false, version }
}

/** A CRLF file's lines keep their CR after splitting on LF. */
export function trimCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line
}
