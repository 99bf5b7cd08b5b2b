/**
 * The BrowserWindow options of the inspector window, kept free of electron so a unit test can assert every
 * hardening flag. The literal types make a weakened flag a compile error, not just a failing test.
 */
export interface HardenedWebPreferences {
  preload: string
  contextIsolation: true
  sandbox: true
  nodeIntegration: false
  nodeIntegrationInWorker: false
  nodeIntegrationInSubFrames: false
  webSecurity: true
  allowRunningInsecureContent: false
  experimentalFeatures: false
  webviewTag: false
  navigateOnDragDrop: false
  safeDialogs: true
  spellcheck: false
  /** Middle-click would ask for a new window; the open handler denies it anyway, this stops it being asked. */
  disableBlinkFeatures: 'Auxclick'
}

export function hardenedWebPreferences(preloadPath: string): HardenedWebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    disableBlinkFeatures: 'Auxclick'
  }
}

export interface InspectorWindowOptions {
  width: number
  height: number
  minWidth: number
  minHeight: number
  title: string
  /** Shown on ready-to-show, so the user never sees an unpainted window. */
  show: false
  autoHideMenuBar: true
  backgroundColor: string
  webPreferences: HardenedWebPreferences
}

export function inspectorWindowOptions(preloadPath: string): InspectorWindowOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Session Inspector',
    show: false,
    autoHideMenuBar: true,
    backgroundColor: '#101418',
    webPreferences: hardenedWebPreferences(preloadPath)
  }
}

/** Links the renderer tries to open go to the user's browser only if they are plain web pages. */
export function isExternalWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url)
    return protocol === 'https:' || protocol === 'http:'
  } catch {
    return false
  }
}
