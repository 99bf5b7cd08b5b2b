import { commandReplySchema } from '../../../../shared/controlFrames'
import { RECORDING_DOWNLOAD_PATH, type CommandReply } from '../../../../shared/inspectorApi'

export function recordingFileName(now: Date): string {
  return `session-${now.toISOString().replace(/[:.]/g, '-')}.ndjson`
}

/** `recording_export`'s reply, or null when it has another shape (the view reports it instead of saving). */
/**
 * Saves the session's recording, cut at `bytes` so the file holds exactly what the reply counted. In Electron the
 * main process asks where and writes it; in web mode the browser downloads it from the server, authenticated by
 * the page's own token. Either way the file never passes through the control channel or this page's memory.
 */
export async function saveRecording(bytes: number, fileName: string): Promise<CommandReply> {
  if (window.inspector !== undefined) {
    const parsed = commandReplySchema.safeParse(await window.inspector.saveRecording(bytes))
    return parsed.success
      ? parsed.data
      : { ok: false, error: { message: `Malformed reply to saveRecording: ${parsed.error.message}` } }
  }
  const token = new URLSearchParams(location.search).get('token') ?? ''
  const link = document.createElement('a')
  link.href = `${RECORDING_DOWNLOAD_PATH}?token=${encodeURIComponent(token)}&bytes=${bytes}`
  link.download = fileName
  link.click()
  return { ok: true, result: { fileName } }
}
