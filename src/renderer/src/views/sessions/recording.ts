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
