import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Browser, type BrowserContext } from '@playwright/test'
import { startObserveBackend, type ObserveBackend } from '../fixtures/observeBackend/observeBackend'
import { startObserve, type ObserveRun } from '../helpers/observeProcess'

/**
 * The HAR half of observe mode with a real browser: the same two-user session as observe.spec.ts (alice and bob in
 * two Chromium contexts, each with its own `user` cookie, through `session-inspector observe`), each context
 * recorded by Playwright's recordHar. `observe --har alice.har --har bob.har` must reach the live verdict.
 */
interface Summary {
  exitCode: number
  users: Array<{ user_id: string; connections: number; leaksReceived: number; leaksCaused: number }>
  leaks: {
    total: number
    byOwnerId: Array<{ owner: string; receiver: string; pointer: string; frames: number }>
    byCanary: Array<{ owner: string; receiver: string; frames: number }>
  }
}

const ROOT = join(import.meta.dirname, '../..')
const RULES = ['--user-from', 'cookie:user', '--owner-id', '/user_id']

async function openAs(
  browser: Browser,
  pageUrl: string,
  user: string,
  harPath: string
): Promise<BrowserContext> {
  const context = await browser.newContext({ recordHar: { path: harPath } })
  await context.addCookies([{ name: 'user', value: user, url: pageUrl }])
  const page = await context.newPage()
  await page.goto(pageUrl)
  await expect(page.getByTestId('socket-state')).toHaveAttribute('data-state', 'open')
  await expect(page.getByTestId('received-message').first()).toContainText(`"user_id":"${user}"`)
  return context
}

async function say(context: BrowserContext, text: string): Promise<void> {
  const page = context.pages()[0]
  if (!page) throw new Error('no page')
  await page.getByTestId('say-input').fill(text)
  await page.getByTestId('say-button').click()
  await expect(page.getByTestId('received-message').filter({ hasText: text }).first()).toBeVisible()
}

function auditHars(paths: string[]): Promise<{ code: number | null; summary: Summary }> {
  const args = [
    '--import',
    'tsx',
    'src/main/cli.ts',
    'observe',
    ...paths.flatMap((p) => ['--har', p]),
    ...RULES,
    '--json'
  ]
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0
      try {
        resolve({ code, summary: JSON.parse(stdout) as Summary })
      } catch {
        reject(new Error(`observe --har printed no summary (exit ${code}):\n${stdout}\n${stderr}`))
      }
    })
  })
}

/** What the live run and the HAR audit must agree on. */
const verdict = (summary: Summary) => ({
  exitCode: summary.exitCode,
  ownerIdLeaks: summary.leaks.byOwnerId
    .map((leak) => `${leak.owner}->${leak.receiver} ${leak.pointer} x${leak.frames}`)
    .sort(),
  canaryLeaks: summary.leaks.byCanary.map((leak) => `${leak.owner}->${leak.receiver} x${leak.frames}`).sort(),
  users: summary.users.map((user) => `${user.user_id}: ${user.connections}`).sort()
})

for (const broadcastBug of [true, false]) {
  test(`Playwright's recordHar of the session audits to the live verdict (${broadcastBug ? 'broadcast bug' : 'no bug'})`, async ({
    browser
  }) => {
    const dir = mkdtempSync(join(tmpdir(), 'observe-har-e2e-'))
    let backend: ObserveBackend | null = null
    let observe: ObserveRun | null = null
    try {
      backend = await startObserveBackend({ broadcastBug })
      observe = await startObserve(['--upstream', `ws://127.0.0.1:${backend.port}`, ...RULES, '--json'])
      const pageUrl = `${observe.url.replace(/^ws:/, 'http:')}/`
      const hars = { alice: join(dir, 'alice.har'), bob: join(dir, 'bob.har') }
      const alice = await openAs(browser, pageUrl, 'alice', hars.alice)
      const bob = await openAs(browser, pageUrl, 'bob', hars.bob)
      await say(alice, 'alice says: locker code 4417-B')
      await say(bob, 'bob says: parcel ref ZX-9921')
      // Closing a context writes its HAR.
      await alice.close()
      await bob.close()
      const live = await observe.stop()
      observe = null
      const liveSummary = JSON.parse(live.stdout.slice(live.stdout.indexOf('\n') + 1)) as Summary

      const har = JSON.parse(readFileSync(hars.alice, 'utf8')) as {
        log: { entries: Array<{ _resourceType?: string; _webSocketMessages?: unknown[] }> }
      }
      const sockets = har.log.entries.filter((entry) => entry._resourceType === 'websocket')
      expect(sockets).toHaveLength(1)
      expect(sockets[0]?._webSocketMessages?.length).toBeGreaterThan(0)

      const audited = await auditHars([hars.alice, hars.bob])
      expect(audited.code).toBe(broadcastBug ? 1 : 0)
      expect(verdict(audited.summary)).toEqual(verdict(liveSummary))
      if (broadcastBug)
        expect(audited.summary.leaks.byCanary.map((leak) => leak.owner).sort()).toEqual(['alice', 'bob'])
      else expect(audited.summary.leaks.total).toBe(0)
    } finally {
      await observe?.stop()
      await backend?.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
}
