import { answerCommand } from '../answerCommand'
import type { InspectorHost } from '../inspectorHost'
import { validateIpcCommand } from './validateIpcCommand'

/** Who sent an IPC message, as far as the sender check needs to know. */
export interface IpcSender<W> {
  /** The window owning the sending webContents, or null (a webContents that is not a window). */
  window: W | null
  /** False for subframes: our preload runs in top frames only, so a subframe did not come through it. */
  isTopFrame: boolean
}

/** Only the top frame of a window we created may call the host. */
export function isOurSender<W>(sender: IpcSender<W>, ourWindows: readonly W[]): boolean {
  return sender.window !== null && ourWindows.includes(sender.window) && sender.isTopFrame
}

/**
 * The electron-free body of the `inspector:command` handler: sender check, zod parse, then the host. The reply is
 * its JSON text, as the web-mode channel carries it (see answerCommand); the renderer parses and checks it.
 */
export async function answerIpcCommand(
  host: InspectorHost,
  raw: unknown,
  senderIsOurs: boolean,
  warn: (message: string) => void
): Promise<string> {
  const check = validateIpcCommand(raw, senderIsOurs)
  if (check.kind === 'drop') {
    warn('[ipc] dropped a command from a webContents that is not a Session Inspector window')
    return JSON.stringify(check.reply)
  }
  if (check.kind === 'invalid') return JSON.stringify(check.reply)
  return answerCommand(host, check.command)
}
