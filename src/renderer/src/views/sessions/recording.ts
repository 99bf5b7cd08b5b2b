import { z } from 'zod'
import { inspectionEventSchema, type InspectionEvent } from '../../../../shared/inspection'

/**
 * `recording_export`'s result is not pinned down yet: accept the NDJSON text itself or an object carrying it as
 * `ndjson`. Returns null for anything else, which the view reports instead of saving a useless file.
 */
export function ndjsonFromExport(result: unknown): string | null {
  if (typeof result === 'string') return result
  if (
    typeof result === 'object' &&
    result !== null &&
    'ndjson' in result &&
    typeof result.ndjson === 'string'
  ) {
    return result.ndjson
  }
  return null
}

export function downloadText(text: string, fileName: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.click()
  // Give the browser a moment to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export function recordingFileName(now: Date): string {
  return `session-${now.toISOString().replace(/[:.]/g, '-')}.ndjson`
}

const openedRecordingSchema = z.looseObject({
  events: z.array(inspectionEventSchema),
  tornLastLine: z.boolean().optional()
})

/** `recording_open` answers with the recording's events, validated line by line on the runtime side. */
export function eventsFromOpen(result: unknown): { events: InspectionEvent[]; tornLastLine: boolean } | null {
  const parsed = openedRecordingSchema.safeParse(result)
  if (!parsed.success) return null
  return { events: parsed.data.events, tornLastLine: parsed.data.tornLastLine ?? false }
}
