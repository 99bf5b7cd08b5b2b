import type { InspectorBridge } from '../shared/inspectorApi'

declare global {
  interface Window {
    /** Present in the Electron window (exposed by the preload); absent in web mode, which uses the WebSocket. */
    readonly inspector?: InspectorBridge
  }
}

export {}
