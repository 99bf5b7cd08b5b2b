import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { _electron as electron, expect, test } from '@playwright/test'
import type { ElectronApplication, Page } from '@playwright/test'
import type { InspectorBridge } from '../../src/shared/inspectorApi'
import { findElectronBinary } from '../../scripts/electronBinary.mjs'

const binary = findElectronBinary()
const reason = binary.ok
  ? ''
  : `Electron smoke test skipped: no Electron binary is installed (${binary.reason}). Web mode is covered by tests/e2e.`
if (!binary.ok) console.log(reason)
test.skip(!binary.ok, reason)

/**
 * The renderer's globals, typed here because the node tsconfig has no DOM lib. Casts stay inside each evaluate
 * callback: Playwright ships the callback's source to the page, so it cannot close over helpers.
 */
type RendererGlobals = {
  inspector?: InspectorBridge
  require?: unknown
  process?: unknown
  open(url: string): unknown
  location: { href: string }
}

test.describe.configure({ mode: 'serial' })

let app: ElectronApplication
let page: Page

test.beforeAll(async () => {
  if (!binary.ok) return
  // Always rebuild: a stale out/ would test yesterday's window.
  execFileSync('npx', ['electron-vite', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' })
  if (!existsSync('out/main/index.js')) throw new Error('electron-vite build did not write out/main/index.js')
  app = await electron.launch({ executablePath: binary.path, args: ['.'] })
  page = await app.firstWindow()
})

test.afterAll(async () => {
  await app?.close()
})

test('opens one inspector window', async () => {
  await expect(page).toHaveTitle(/Session Inspector/)
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)
})

test('exposes window.inspector with send and subscribe only, and no Node', async () => {
  const surface = await page.evaluate(() => {
    const globals = globalThis as unknown as RendererGlobals
    return {
      keys: Object.keys(globals.inspector ?? {}).sort(),
      require: typeof globals.require,
      process: typeof globals.process
    }
  })
  expect(surface).toEqual({ keys: ['send', 'subscribe'], require: 'undefined', process: 'undefined' })
})

test('round-trips hello over IPC and answers a bad command with its path', async () => {
  const hello = await page.evaluate(() =>
    (globalThis as unknown as RendererGlobals).inspector?.send({ cmd: 'hello' })
  )
  // Replies cross the bridge as JSON text, as the web-mode channel carries them.
  expect(JSON.parse(hello ?? 'null')).toMatchObject({ ok: true, result: { history: expect.any(Array) } })
  const bad = await page.evaluate(() =>
    // Deliberately off-contract: the main process must parse it, whatever the renderer's types say.
    (globalThis as unknown as RendererGlobals).inspector?.send(
      JSON.parse('{"cmd":"add_users","count":"many"}') as never
    )
  )
  expect(JSON.parse(bad ?? 'null')).toMatchObject({ ok: false, error: { path: 'count' } })
})

test('refuses new windows and navigation', async () => {
  const opened = await page.evaluate(
    () => (globalThis as unknown as RendererGlobals).open('https://example.com') === null
  )
  expect(opened).toBe(true)
  const before = page.url()
  await page.evaluate(() => {
    ;(globalThis as unknown as RendererGlobals).location.href = 'https://example.com'
  })
  await page.waitForTimeout(500)
  expect(page.url()).toBe(before)
  expect(app.windows()).toHaveLength(1)
})
