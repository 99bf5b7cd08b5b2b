import { join } from 'node:path'
import { app, BrowserWindow, session, shell } from 'electron'
import { createRuntimeHost } from './host/runtimeHost'
import { registerInspectorIpc } from './host/ipc/registerInspectorIpc'
import { lockDownContents, lockDownPermissions } from './security/lockDown'
import { withSecurityHeaders } from './security/securityHeaders'
import { inspectorWindowOptions } from './security/windowOptions'
import { resolvePreloadPath } from './security/preloadPath'

const windows: BrowserWindow[] = []

function lockDownSession(): void {
  lockDownPermissions(session.defaultSession)
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withSecurityHeaders(details.responseHeaders) })
  })
}

function createWindow(): BrowserWindow {
  const options = inspectorWindowOptions(resolvePreloadPath(join(import.meta.dirname, '../preload')))
  // The key flags repeated literally (their types allow only these values) so Electronegativity can see them.
  const window = new BrowserWindow({
    ...options,
    webPreferences: {
      ...options.webPreferences,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      disableBlinkFeatures: 'Auxclick'
    }
  })
  windows.push(window)
  window.on('closed', () => {
    const index = windows.indexOf(window)
    if (index >= 0) windows.splice(index, 1)
  })
  window.once('ready-to-show', () => window.show())

  // electron-vite sets this in `dev` only; a packaged or previewed app loads the built files.
  const devUrl = process.env['ELECTRON_RENDERER_URL']
  if (!app.isPackaged && devUrl) void window.loadURL(devUrl)
  else void window.loadFile(join(import.meta.dirname, '../renderer/index.html'))
  return window
}

async function main(): Promise<void> {
  app.enableSandbox()
  // Every webContents the app ever creates, not just ours: nothing navigates, opens or embeds.
  app.on('web-contents-created', (_event, contents) =>
    lockDownContents(contents, (url) => void shell.openExternal(url))
  )
  await app.whenReady()
  lockDownSession()

  const host = await createRuntimeHost()
  const unregister = registerInspectorIpc({ host, windows: () => windows })
  createWindow()

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.once('will-quit', (event) => {
    // Close the runtime's sockets and workers before the process goes, then quit for real.
    event.preventDefault()
    unregister()
    void host.close().finally(() => app.exit(0))
  })
}

main().catch((error: unknown) => {
  console.error('Session Inspector failed to start:', error)
  app.exit(1)
})
