/** Every IPC channel between the main process and the preload; nothing else is registered or exposed. */
export const IPC_CHANNELS = {
  /** renderer → main, `ipcRenderer.invoke`: one Command, answered with a CommandReply. */
  command: 'inspector:command',
  /** renderer → main, `ipcRenderer.invoke`: the byte count recording_export gave; a save dialog, then the copy. */
  saveRecording: 'inspector:save-recording',
  /** main → renderer, `webContents.send`: one Push (a batch of inspection events or a reset) as its JSON text. */
  push: 'inspector:push'
} as const

export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS]
