import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { answerIpcCommand, isOurSender } from '../../src/main/host/ipc/answerIpcCommand'
import type { InspectorHost } from '../../src/main/host/inspectorHost'
import { CONTENT_SECURITY_POLICY } from '../../src/main/security/contentSecurityPolicy'
import {
  lockDownContents,
  lockDownPermissions,
  type LockableContents,
  type LockableSession
} from '../../src/main/security/lockDown'
import { hardenedWebPreferences } from '../../src/main/security/windowOptions'
import type { Command } from '../../src/shared/inspectorApi'

/**
 * No Electron binary here, so these drive the very handlers src/main/index.ts installs on every webContents and
 * on the session, through the same electron-free functions, with an EventEmitter standing in for webContents.
 */
class FakeContents extends EventEmitter implements LockableContents {
  openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.openHandler = handler
  }
  /** Emits like Electron does and reports whether a listener prevented the default. */
  attempt(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview'): boolean {
    let prevented = false
    this.emit(event, { preventDefault: () => (prevented = true) }, 'https://evil.example/')
    return prevented
  }
}

function lockedContents() {
  const contents = new FakeContents()
  const opened: string[] = []
  lockDownContents(contents, (url) => opened.push(url))
  return { contents, opened }
}

describe('every webContents is locked down', () => {
  it.each(['will-navigate', 'will-redirect', 'will-attach-webview'] as const)('%s is prevented', (event) => {
    expect(lockedContents().contents.attempt(event)).toBe(true)
  })

  it('denies every new window; only http(s) links go to the browser', () => {
    const { contents, opened } = lockedContents()
    const urls = [
      'https://github.com/x',
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'about:blank',
      'not a url'
    ]
    for (const url of urls) expect(contents.openHandler?.({ url })).toEqual({ action: 'deny' })
    expect(opened).toEqual(['https://github.com/x', 'http://example.com/'])
  })
})

describe('the session refuses every permission', () => {
  it('denies requests and checks, whatever the permission', () => {
    let requestHandler: Parameters<LockableSession['setPermissionRequestHandler']>[0] | null = null
    let checkHandler: (() => boolean) | null = null
    lockDownPermissions({
      setPermissionRequestHandler: (handler) => (requestHandler = handler),
      setPermissionCheckHandler: (handler) => (checkHandler = handler)
    })
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const answers: boolean[] = []
      requestHandler!(null, permission, (granted) => answers.push(granted))
      expect([permission, answers]).toEqual([permission, [false]])
    }
    expect(checkHandler!()).toBe(false)
  })
})

describe('hardened window and CSP', () => {
  it('keeps Node out of the renderer and the renderer in its sandbox', () => {
    expect(hardenedWebPreferences('/p.js')).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false
    })
  })

  it('the CSP header and the index.html meta (file:// loads) allow no eval, no foreign script, no plugins', () => {
    const html = readFileSync('src/renderer/index.html', 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    expect(meta, 'src/renderer/index.html must carry a CSP meta').toBeDefined()
    for (const policy of [CONTENT_SECURITY_POLICY, meta ?? '']) {
      const directive = (name: string): string =>
        policy
          .split(';')
          .map((part) => part.trim())
          .find((part) => part.startsWith(`${name} `)) ?? ''
      expect(policy).not.toContain('unsafe-eval')
      expect(directive('script-src')).toBe("script-src 'self'")
      expect(directive('default-src')).toBe("default-src 'self'")
      expect(directive('object-src')).toBe("object-src 'none'")
      expect(directive('base-uri')).toBe("base-uri 'none'")
      expect(directive('connect-src')).toBe("connect-src 'self' ws://127.0.0.1:* ws://localhost:*")
    }
  })
})

describe('IPC: the sender check and the payload check come before the host', () => {
  function recordingHost() {
    const handled: Command[] = []
    const host: InspectorHost = {
      handle: async (command) => {
        handled.push(command)
        return { ok: true, result: { handled: command.cmd } }
      },
      helloText: () => '{"written":"by the host"}',
      subscribe: () => () => {}
    }
    return { host, handled }
  }
  const ours = { id: 1 }
  const foreign = { id: 2 }

  it('only the top frame of one of our windows counts as ours', () => {
    expect(isOurSender({ window: ours, isTopFrame: true }, [ours])).toBe(true)
    expect(isOurSender({ window: ours, isTopFrame: false }, [ours])).toBe(false)
    expect(isOurSender({ window: foreign, isTopFrame: true }, [ours])).toBe(false)
    expect(isOurSender({ window: null, isTopFrame: true }, [ours])).toBe(false)
  })

  it('refuses an unknown sender, valid command or not, without touching the host', async () => {
    const { host, handled } = recordingHost()
    const warnings: string[] = []
    for (const raw of [{ cmd: 'add_users', count: 5 }, { cmd: 'set_faults', faults: [] }, 'junk']) {
      const reply: unknown = JSON.parse(await answerIpcCommand(host, raw, false, (m) => warnings.push(m)))
      expect(reply).toMatchObject({
        ok: false,
        error: { message: expect.stringMatching(/not a Session Inspector window/) }
      })
    }
    expect(handled).toEqual([])
    expect(warnings).toHaveLength(3)
  })

  it('refuses an invalid payload from our window, naming the problem, without touching the host', async () => {
    const { host, handled } = recordingHost()
    for (const [raw, path] of [
      [{ cmd: 'add_users', count: 1e300 }, 'count'],
      [{ cmd: 'add_users', count: 2, extra: true }, undefined],
      [{ cmd: 'shell_exec', line: 'rm -rf /' }, 'cmd'],
      [null, undefined]
    ] as const) {
      const reply = JSON.parse(await answerIpcCommand(host, raw, true, () => {})) as { ok: boolean }
      expect(reply.ok).toBe(false)
      if (path) expect(reply).toMatchObject({ error: { path } })
    }
    expect(handled).toEqual([])
    expect(JSON.parse(await answerIpcCommand(host, { cmd: 'restart_startup' }, true, () => {}))).toEqual({
      ok: true,
      result: { handled: 'restart_startup' }
    })
    // hello is the host's own text, as over the web-mode channel; handle() never sees it.
    expect(JSON.parse(await answerIpcCommand(host, { cmd: 'hello' }, true, () => {}))).toEqual({
      ok: true,
      result: { written: 'by the host' }
    })
    expect(handled.map((command) => command.cmd)).toEqual(['restart_startup'])
  })

  it('turns a host that throws into an error reply', async () => {
    const host: InspectorHost = {
      handle: async () => {
        throw new Error('boom')
      },
      helloText: () => {
        throw new Error('boom')
      },
      subscribe: () => () => {}
    }
    for (const command of [{ cmd: 'hello' }, { cmd: 'restart_startup' }])
      expect(JSON.parse(await answerIpcCommand(host, command, true, () => {}))).toMatchObject({
        ok: false,
        error: { message: expect.stringContaining('boom') }
      })
  })
})
