import { createReadStream, createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { z } from 'zod'
import type { CommandReply } from '../../../shared/inspectorApi'
import type { InspectorHost } from '../inspectorHost'

const bytesSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)

/**
 * The electron-free body of the `inspector:save-recording` handler: checks the sender and the byte count, asks
 * where to save (`choosePath`, a save dialog in Electron; null when cancelled) and copies the session's recording
 * there, cut at `bytes` (what `recording_export` counted), straight from the spool file.
 */
export async function answerSaveRecording(
  host: InspectorHost,
  raw: unknown,
  senderIsOurs: boolean,
  choosePath: () => Promise<string | null>
): Promise<CommandReply> {
  if (!senderIsOurs)
    return { ok: false, error: { message: 'Refused: the sender is not a Session Inspector window.' } }
  const bytes = bytesSchema.safeParse(raw)
  if (!bytes.success)
    return { ok: false, error: { message: 'bytes must be a non-negative integer', path: 'bytes' } }
  if (host.exportRecording === undefined)
    return { ok: false, error: { message: 'this host records no session' } }
  const recorded = await host.exportRecording()
  const destination = await choosePath()
  if (destination === null) return { ok: false, error: { message: 'Cancelled.' } }
  const length = Math.min(bytes.data, recorded.bytes)
  const source = length === 0 ? [] : createReadStream(recorded.path, { start: 0, end: length - 1 })
  await pipeline(source, createWriteStream(destination))
  return { ok: true, result: { path: destination, bytes: length } }
}
