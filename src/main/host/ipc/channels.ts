/** Every IPC channel between the main process and the preload; nothing else is registered or exposed. */
export const IPC_CHANNELS = {
  /** renderer → main, `ipcRenderer.invoke`: one Command, answered with a CommandReply. */
  command: 'inspector:command',
  /** main → renderer, `webContents.send`: one Push (a batch of inspection events or a reset) as its JSON text. */
  push: 'inspector:push'
} as const

export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS]
