import { BrowserWindow, dialog, ipcMain } from 'electron'
import type { IpcMainInvokeEvent } from 'electron'
import type { CommandReply, PushBytes } from '../../../shared/inspectorApi'
import type { InspectorHost } from '../inspectorHost'
import { answerIpcCommand, isOurSender } from './answerIpcCommand'
import { IPC_CHANNELS } from './channels'
import { answerSaveRecording } from './saveRecording'

export interface InspectorIpcOptions {
  host: InspectorHost
  /** The windows we created: only their top frames may call the host, and only they receive pushes. */
  windows: () => readonly BrowserWindow[]
}

/** The only place ipcMain is registered. Returns a function that unregisters everything it set up. */
export function registerInspectorIpc({ host, windows }: InspectorIpcOptions): () => void {
  const senderIsOurs = (event: IpcMainInvokeEvent): boolean =>
    isOurSender(
      { window: BrowserWindow.fromWebContents(event.sender), isTopFrame: event.senderFrame?.parent === null },
      windows()
    )

  ipcMain.handle(IPC_CHANNELS.command, (event, raw: unknown): Promise<string> =>
    answerIpcCommand(host, raw, senderIsOurs(event), (message) =>
      console.warn(`${message} (webContents ${event.sender.id})`)
    )
  )

  ipcMain.handle(IPC_CHANNELS.saveRecording, (event, raw: unknown): Promise<CommandReply> =>
    answerSaveRecording(host, raw, senderIsOurs(event), async () => {
      const owner = BrowserWindow.fromWebContents(event.sender)
      const options = {
        title: 'Save the session recording',
        defaultPath: `session-${new Date().toISOString().replace(/[:.]/g, '-')}.ndjson`,
        filters: [{ name: 'NDJSON recording', extensions: ['ndjson'] }]
      }
      const chosen = owner
        ? await dialog.showSaveDialog(owner, options)
        : await dialog.showSaveDialog(options)
      return chosen.canceled || chosen.filePath === undefined ? null : chosen.filePath
    })
  )

  // The push's UTF-8 JSON, one byte array: cheap to clone across processes; the renderer decodes and checks it.
  // webContents.send clones it before returning, as the host's push contract asks.
  const unsubscribe = host.subscribe((push: PushBytes) => {
    for (const window of windows()) {
      if (!window.isDestroyed() && !window.webContents.isDestroyed()) {
        window.webContents.send(IPC_CHANNELS.push, push)
      }
    }
  })

  return () => {
    unsubscribe()
    ipcMain.removeHandler(IPC_CHANNELS.command)
    ipcMain.removeHandler(IPC_CHANNELS.saveRecording)
  }
}
