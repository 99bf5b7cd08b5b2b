import { describe, expect, it } from 'vitest'
import {
  hardenedWebPreferences,
  inspectorWindowOptions,
  isExternalWebUrl
} from '../../src/main/security/windowOptions'
import { resolvePreloadPath } from '../../src/main/security/preloadPath'

describe('inspector window options', () => {
  it('sets every hardening flag', () => {
    expect(hardenedWebPreferences('/app/out/preload/index.js')).toEqual({
      preload: '/app/out/preload/index.js',
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
    })
  })

  it('uses the hardened preferences for the window and shows it only when painted', () => {
    const options = inspectorWindowOptions('/p/index.js')
    expect(options.webPreferences).toEqual(hardenedWebPreferences('/p/index.js'))
    expect(options.show).toBe(false)
  })

  it('opens only http(s) links externally', () => {
    expect(isExternalWebUrl('https://github.com/x')).toBe(true)
    expect(isExternalWebUrl('http://example.com')).toBe(true)
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'not a url']) {
      expect(isExternalWebUrl(url)).toBe(false)
    }
  })
})

describe('preload path', () => {
  const only =
    (...present: string[]) =>
    (path: string) =>
      present.includes(path)

  it('prefers a CommonJS build, which a sandboxed preload needs', () => {
    expect(resolvePreloadPath('/out/preload', only('/out/preload/index.js'))).toBe('/out/preload/index.js')
    expect(resolvePreloadPath('/out/preload', only('/out/preload/index.cjs'))).toBe('/out/preload/index.cjs')
  })

  it('explains the fix when only an ES-module preload was built', () => {
    expect(() => resolvePreloadPath('/out/preload', only('/out/preload/index.mjs'))).toThrow(/format = 'cjs'/)
  })

  it('says to build when there is no preload at all', () => {
    expect(() => resolvePreloadPath('/out/preload', only())).toThrow(/electron-vite build/)
  })
})
