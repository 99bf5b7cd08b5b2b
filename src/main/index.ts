import { join } from 'node:path'
import { app, BrowserWindow, session, shell } from 'electron'
import type { WebContents } from 'electron'
import { createRuntimeHost } from './host/runtimeHost'
import { registerInspectorIpc } from './host/ipc/registerInspectorIpc'
import { withSecurityHeaders } from './security/securityHeaders'
import { inspectorWindowOptions, isExternalWebUrl } from './security/windowOptions'
import { resolvePreloadPath } from './security/preloadPath'

const windows: BrowserWindow[] = []

/** Applied to every webContents the app ever creates, not just ours: nothing navigates, opens or embeds. */
function lockDown(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalWebUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

function lockDownSession(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withSecurityHeaders(details.responseHeaders) })
  })
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow(
    inspectorWindowOptions(resolvePreloadPath(join(import.meta.dirname, '../preload')))
  )
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
  app.on('web-contents-created', (_event, contents) => lockDown(contents))
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
