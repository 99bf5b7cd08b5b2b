import { contextBridge, ipcRenderer } from 'electron'
import type { IpcRendererEvent } from 'electron'
import type { Command, CommandReply, InspectorBridge, PushBytes } from '../shared/inspectorApi'
import { IPC_CHANNELS } from '../main/host/ipc/channels'

// Three named methods, never ipcRenderer itself; main validates every command again, this side is not trusted.
const inspector: InspectorBridge = {
  send: (command: Command): Promise<string> => ipcRenderer.invoke(IPC_CHANNELS.command, command),
  subscribe(listener: (push: PushBytes) => void): () => void {
    const onPush = (_event: IpcRendererEvent, push: PushBytes): void => listener(push)
    ipcRenderer.on(IPC_CHANNELS.push, onPush)
    return () => void ipcRenderer.removeListener(IPC_CHANNELS.push, onPush)
  },
  saveRecording: (bytes: number): Promise<CommandReply> =>
    ipcRenderer.invoke(IPC_CHANNELS.saveRecording, bytes)
}

contextBridge.exposeInMainWorld('inspector', inspector)
