import { isExternalWebUrl } from './windowOptions'

/**
 * What every webContents and the session are locked down with, kept free of electron so a test can drive the
 * same handlers the app installs. The `on(...)` calls stay literal: Electronegativity looks for them by name.
 */
export interface Preventable {
  preventDefault(): void
}

export interface LockableContents {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
  on(event: 'will-navigate', listener: (event: Preventable) => void): unknown
  on(event: 'will-redirect', listener: (event: Preventable) => void): unknown
  on(event: 'will-attach-webview', listener: (event: Preventable) => void): unknown
}

export interface LockableSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void
  ): void
  setPermissionCheckHandler(handler: () => boolean): void
}

const prevent = (event: Preventable): void => event.preventDefault()

/** Nothing navigates, redirects, embeds a webview or opens a window; http(s) links go to the user's browser. */
export function lockDownContents(contents: LockableContents, openExternal: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalWebUrl(url)) openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-navigate', prevent)
  contents.on('will-redirect', prevent)
  contents.on('will-attach-webview', prevent)
}

/** The app needs no camera, microphone, notifications or anything else a page can ask for: all refused. */
export function lockDownPermissions(session: LockableSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}
