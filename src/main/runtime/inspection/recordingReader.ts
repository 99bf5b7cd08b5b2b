import { parseJson } from '../../../shared/json'
import { inspectionEventSchema, type InspectionEvent } from '../../../shared/inspection'

export type RecordingRead =
  | { ok: true; events: InspectionEvent[]; tornLastLine: boolean }
  | { ok: false; line: number; problem: string; eventsBefore: number }

/**
 * Reads an NDJSON recording, validating every line. A last line without its newline that does not parse is a
 * torn write (the recorder was killed): the complete events load and the tear is reported. Any other bad line is
 * an error that names its line number.
 */
export function readRecording(text: string): RecordingRead {
  const lines = text.split('\n')
  const endsWithNewline = text.endsWith('\n')
  if (endsWithNewline) lines.pop()
  const events: InspectionEvent[] = []
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string
    if (line.trim() === '') continue
    const isLast = index === lines.length - 1
    const parsed = parseJson(line)
    if (!parsed.ok) {
      if (isLast && !endsWithNewline) return { ok: true, events, tornLastLine: true }
      return { ok: false, line: index + 1, problem: `not JSON: ${parsed.error}`, eventsBefore: events.length }
    }
    const event = inspectionEventSchema.safeParse(parsed.value)
    if (!event.success) {
      const issue = event.error.issues[0]
      return {
        ok: false,
        line: index + 1,
        problem:
          `not an inspection event: '${issue?.path.join('.') || '(root)'}' ${issue?.message ?? ''}`.trim(),
        eventsBefore: events.length
      }
    }
    events.push(event.data)
  }
  return { ok: true, events, tornLastLine: false }
}
