import { BrowserWindow, ipcMain } from 'electron'
import type { IpcMainInvokeEvent } from 'electron'
import type { CommandReply, Push } from '../../../shared/inspectorApi'
import type { InspectorHost } from '../inspectorHost'
import { hostFailureReply } from '../commandErrors'
import { IPC_CHANNELS } from './channels'
import { validateIpcCommand } from './validateIpcCommand'

export interface InspectorIpcOptions {
  host: InspectorHost
  /** The windows we created: only their top frames may call the host, and only they receive pushes. */
  windows: () => readonly BrowserWindow[]
}

/** The only place ipcMain is registered. Returns a function that unregisters everything it set up. */
export function registerInspectorIpc({ host, windows }: InspectorIpcOptions): () => void {
  const senderIsOurs = (event: IpcMainInvokeEvent): boolean => {
    const window = BrowserWindow.fromWebContents(event.sender)
    // The preload only runs in top frames; a message from a subframe did not come through it.
    return window !== null && windows().includes(window) && event.senderFrame?.parent === null
  }

  ipcMain.handle(IPC_CHANNELS.command, async (event, raw: unknown): Promise<CommandReply> => {
    const check = validateIpcCommand(raw, senderIsOurs(event))
    if (check.kind === 'drop') {
      console.warn(
        `[ipc] dropped a command from webContents ${event.sender.id}: not a Session Inspector window`
      )
      return check.reply
    }
    if (check.kind === 'invalid') return check.reply
    try {
      return await host.handle(check.command)
    } catch (error) {
      return hostFailureReply(error)
    }
  })

  const unsubscribe = host.subscribe((push: Push) => {
    for (const window of windows()) {
      if (!window.isDestroyed() && !window.webContents.isDestroyed()) {
        window.webContents.send(IPC_CHANNELS.push, push)
      }
    }
  })

  return () => {
    unsubscribe()
    ipcMain.removeHandler(IPC_CHANNELS.command)
  }
}
