import { expect, test, type Browser, type Page } from '@playwright/test'
import { startObserveBackend, type ObserveBackend } from '../fixtures/observeBackend/observeBackend'
import { startObserve, type ObserveRun } from '../helpers/observeProcess'

/**
 * Observe mode with a real browser: Chromium opens the test app's page twice, as alice and as bob (two contexts,
 * each with its own `user` cookie), through `session-inspector observe`, and each says something. With the
 * backend's broadcast bug the summary flags the leak naming both users (exit 1); without it, clean (exit 0).
 * Nothing here needs the renderer build: the page is the backend's own, served through observe. The HARs of the
 * same session, audited with `observe --har`, are observeHar.spec.ts's.
 */
interface ObserveSummaryJson {
  exitCode: number
  users: Array<{ user_id: string; connections: number; leaksReceived: number; leaksCaused: number }>
  leaks: {
    total: number
    byOwnerId: Array<{ owner: string; receiver: string; pointer: string }>
    byCanary: Array<{ owner: string; receiver: string }>
  }
  relay: { connections: number; httpRequests: number }
}

const SAYS = {
  alice: 'meet me at the old harbour at dawn',
  bob: 'the spare key is under the blue flowerpot'
} as const

async function openAs(browser: Browser, pageUrl: string, user: 'alice' | 'bob'): Promise<Page> {
  const context = await browser.newContext()
  await context.addCookies([{ name: 'user', value: user, url: pageUrl }])
  const page = await context.newPage()
  await page.goto(pageUrl)
  await expect(page.getByTestId('me')).toHaveText(user)
  await expect(page.getByTestId('socket-state')).toHaveAttribute('data-state', 'open')
  // The welcome names the user the backend saw: the cookie went through observe with the upgrade.
  await expect(page.getByTestId('received-message').first()).toContainText(`"user_id":"${user}"`)
  return page
}

/** Says something from the page and waits until its own echo is back. */
async function say(page: Page, text: string): Promise<void> {
  await page.getByTestId('say-input').fill(text)
  await page.getByTestId('say-button').click()
  await expect(page.getByTestId('received-message').filter({ hasText: text }).first()).toBeVisible()
}

async function session(
  browser: Browser,
  broadcastBug: boolean
): Promise<{ summary: ObserveSummaryJson; code: number | null }> {
  let backend: ObserveBackend | null = null
  let observe: ObserveRun | null = null
  try {
    backend = await startObserveBackend({ broadcastBug })
    observe = await startObserve([
      '--upstream',
      `ws://127.0.0.1:${backend.port}`,
      '--user-from',
      'cookie:user',
      '--owner-id',
      '/user_id',
      '--json'
    ])
    expect(observe.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/)
    const pageUrl = `${observe.url.replace(/^ws:/, 'http:')}/`
    const alice = await openAs(browser, pageUrl, 'alice')
    const bob = await openAs(browser, pageUrl, 'bob')
    // Alice first, then bob: bob's own echo comes after anything of alice's the backend sent him.
    await say(alice, SAYS.alice)
    await say(bob, SAYS.bob)
    // Pages closed: their sockets close (close frames through observe) before it stops.
    await alice.context().close()
    await bob.context().close()
    const { code, stdout } = await observe.stop()
    observe = null
    const summary = JSON.parse(stdout.slice(stdout.indexOf('\n') + 1)) as ObserveSummaryJson
    return { summary, code }
  } finally {
    await observe?.stop()
    await backend?.close()
  }
}

test.describe('observe mode with a real browser', () => {
  test('a broadcast bug: the leak is flagged naming both users, exit 1', async ({ browser }) => {
    const { summary, code } = await session(browser, true)
    expect(code).toBe(1)
    expect(summary.exitCode).toBe(1)
    const pairs = summary.leaks.byOwnerId.map((leak) => `${leak.owner}->${leak.receiver} ${leak.pointer}`)
    expect(pairs).toEqual(expect.arrayContaining(['alice->bob /user_id', 'bob->alice /user_id']))
    const canaryPairs = summary.leaks.byCanary.map((leak) => `${leak.owner}->${leak.receiver}`)
    expect(canaryPairs).toEqual(expect.arrayContaining(['alice->bob', 'bob->alice']))
    expect(summary.users.map((user) => user.user_id).sort()).toEqual(['alice', 'bob'])
    for (const user of summary.users) expect(user.leaksReceived).toBeGreaterThan(0)
    // Both pages and their sockets came through observe.
    expect(summary.relay.connections).toBe(2)
    expect(summary.relay.httpRequests).toBeGreaterThanOrEqual(2)
  })

  test('no bug: every message reached its own user, clean, exit 0', async ({ browser }) => {
    const { summary, code } = await session(browser, false)
    expect(code).toBe(0)
    expect(summary.leaks.total).toBe(0)
    expect(summary.users.map((user) => [user.user_id, user.connections]).sort()).toEqual([
      ['alice', 1],
      ['bob', 1]
    ])
  })
})
