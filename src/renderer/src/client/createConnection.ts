import type { InspectorConnection } from './connection'
import { createIpcConnection } from './ipcConnection'
import { controlUrlFromLocation, createWebSocketConnection } from './websocketConnection'

/** Electron's preload wins when present; otherwise the page came from the web-mode server and talks back to it. */
export function createConnection(): InspectorConnection {
  if (window.inspector !== undefined) return createIpcConnection(window.inspector)
  return createWebSocketConnection({
    url: controlUrlFromLocation(window.location),
    pageUrl: window.location.href
  })
}
