import { z } from 'zod'
import inspectionEventChecks from './generated/inspectionEventChecks.js'
import { inspectionEventSchema, type InspectionEvent } from './inspection'

/**
 * The event schema's checks compiled ahead of time, by kind (scripts/inspectionEventChecks.ts): zod's verdict at a
 * tenth of its interpreted cost, which is what the renderer (no eval under its CSP) would otherwise pay on every
 * pushed event and every recording line. A Map, so a `kind` such as "constructor" finds nothing.
 */
const checkByKind = new Map(Object.entries(inspectionEventChecks))

/** True when `value` is a valid inspection event. */
export function isInspectionEvent(value: unknown): value is InspectionEvent {
  if (typeof value !== 'object' || value === null || !('kind' in value) || typeof value.kind !== 'string') {
    return false
  }
  return checkByKind.get(value.kind)?.(value) === true
}

/**
 * inspectionEventSchema for frames that carry many events: the generated check decides, and zod, the schema's one
 * definition, runs only on an event it rejects, to name the problem. The event passes through as it is (zod would
 * copy it).
 */
export const checkedInspectionEventSchema = z.custom<InspectionEvent>().check((context) => {
  if (isInspectionEvent(context.value)) return
  const parsed = inspectionEventSchema.safeParse(context.value)
  if (parsed.success) return
  for (const issue of parsed.error.issues) {
    context.issues.push({ ...issue, input: context.value, continue: false } as (typeof context.issues)[number])
  }
})
