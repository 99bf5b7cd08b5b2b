import type { Browser, Page } from '@playwright/test'
import { startObserveBackend, type ObserveBackend } from '../fixtures/observeBackend/observeBackend'
import { expect, lane, openInspector, openTab, test } from './support/fixtures'

/**
 * Observe mode from the app: the Observe tab starts the relay in front of the test app (its broadcast bug on),
 * two Chromium contexts open the app through the listen URL as alice and bob (each its own `user` cookie), and
 * the tab shows, live, each user's connection, the leak in red naming both users and bob's lane turned red; Stop
 * shows the summary. The relay runs inside `serve`, as it does inside the app.
 */
async function openAs(browser: Browser, pageUrl: string, user: 'alice' | 'bob'): Promise<Page> {
  const context = await browser.newContext()
  await context.addCookies([{ name: 'user', value: user, url: pageUrl }])
  const page = await context.newPage()
  await page.goto(pageUrl)
  await expect(page.getByTestId('socket-state')).toHaveAttribute('data-state', 'open')
  return page
}

async function say(page: Page, text: string): Promise<void> {
  await page.getByTestId('say-input').fill(text)
  await page.getByTestId('say-button').click()
  await expect(page.getByTestId('received-message').filter({ hasText: text }).first()).toBeVisible()
}

let backend: ObserveBackend | null = null
test.afterEach(async () => {
  await backend?.close()
  backend = null
})

test('observing from the tab: two users through the listen URL, the leak live in red, the summary at stop', async ({
  page,
  browser,
  inspector
}) => {
  backend = await startObserveBackend({ broadcastBug: true })
  await openInspector(page, inspector.url)
  await openTab(page, 'observe')
  await expect(page.getByTestId('observe-state')).toHaveAttribute('data-state', 'idle')

  await page.getByTestId('observe-upstream').fill(`ws://127.0.0.1:${backend.port}`)
  await page.getByTestId('observe-rules').fill('header:x-user\ncookie:user')
  await page.getByTestId('observe-owner-ids').fill('/user_id')
  await page.getByTestId('observe-start').click()
  await expect(page.getByTestId('observe-state')).toHaveAttribute('data-state', 'running')
  const url = await page.getByTestId('observe-listen-url').getAttribute('data-url')
  expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/)
  const pageUrl = `${(url ?? '').replace(/^ws:/, 'http:')}/`
  await expect(page.getByTestId('observe-page-url')).toHaveAttribute('href', pageUrl)

  const alice = await openAs(browser, pageUrl, 'alice')
  const bob = await openAs(browser, pageUrl, 'bob')
  try {
    // Connections per user, by the rule that named them, while they are open.
    await expect(page.getByTestId('observe-user-alice')).toHaveAttribute('data-open', '1')
    await expect(page.getByTestId('observe-user-bob')).toHaveAttribute('data-open', '1')
    await expect(page.getByTestId('observe-user-alice').getByTestId('observe-connection')).toHaveAttribute(
      'data-rule',
      'cookie:user'
    )

    await say(alice, 'meet me at the old harbour at dawn')
    // Live, while both are still connected: the leak in red naming both users, bob's lane red naming alice.
    const leak = page.getByTestId('observe-leak').first()
    await expect(leak).toHaveAttribute('data-owner', 'alice')
    await expect(leak).toHaveAttribute('data-receiver', 'bob')
    await expect(leak).toContainText('bob received a frame of alice')
    await expect(leak).toHaveClass(/text-danger/)
    await expect(page.getByTestId('observe-leaks')).toHaveClass(/card-danger/)
    await expect(lane(page, 'bob')).toHaveClass(/has-violations/)
    await expect(lane(page, 'alice')).not.toHaveClass(/has-violations/)
    await expect(page.getByTestId('lane-leak-bob')).toContainText('leak from alice')
    // Live, the frame itself: a row in bob's lane, red and naming alice; alice's copy of it is hers, not red.
    const leakedRow = lane(page, 'bob').locator('[data-testid="lane-event"][data-violation="true"]')
    await expect(leakedRow).toHaveAttribute('data-kind', 'frame')
    await expect(leakedRow).toHaveAttribute('data-owner', 'alice')
    await expect(leakedRow).toContainText('from alice')
    await expect(leakedRow).toContainText('old harbour')
    const ownRow = lane(page, 'alice')
      .locator('[data-testid="lane-event"]')
      .filter({ hasText: 'old harbour' })
    await expect(ownRow).toHaveAttribute('data-violation', 'false')
    await expect(ownRow).toHaveAttribute('data-owner', 'alice')
    await expect(lane(page, 'alice')).not.toHaveAttribute('data-received', '0')
    await expect(lane(page, 'alice')).not.toHaveAttribute('data-sent', '0')
    await expect(page.getByTestId('observed-leak-count')).not.toHaveAttribute('data-count', '0')
  } finally {
    await alice.context().close()
    await bob.context().close()
  }
  await expect(page.getByTestId('observe-user-alice')).toHaveAttribute('data-open', '0')

  await page.getByTestId('observe-stop').click()
  await expect(page.getByTestId('observe-state')).toHaveAttribute('data-state', 'idle')
  const summary = page.getByTestId('observe-summary')
  await expect(summary).toHaveAttribute('data-exit-code', '1')
  await expect(summary).toHaveAttribute('data-ended-by', 'stop')
  await expect(summary).toContainText('LEAKS')
  const byOwnerId = summary.getByTestId('observe-summary-leak').first()
  await expect(byOwnerId).toHaveAttribute('data-owner', 'alice')
  await expect(byOwnerId).toHaveAttribute('data-receiver', 'bob')
  await expect(summary.getByTestId('observe-summary-user')).toHaveCount(2)
  await expect(page.getByTestId('observe-listen-url')).toHaveCount(0)
})

test('a bad rule and an unreachable upstream are refused, naming the field', async ({ page, inspector }) => {
  await openInspector(page, inspector.url)
  await openTab(page, 'observe')
  await page.getByTestId('observe-upstream').fill('ws://127.0.0.1:1')
  await page.getByTestId('observe-rules').fill('head:x')
  await page.getByTestId('observe-start').click()
  const error = page.getByTestId('observe-error')
  await expect(error).toHaveAttribute('data-path', 'user_from.0')
  await expect(error).toContainText("'head:x' is not header:NAME, cookie:NAME or query:NAME")
  await page.getByTestId('observe-rules').fill('cookie:user')
  await page.getByTestId('observe-start').click()
  await expect(error).toHaveAttribute('data-path', 'upstream')
  await expect(error).toContainText('The upstream ws://127.0.0.1:1 is unreachable')
  await expect(page.getByTestId('observe-state')).toHaveAttribute('data-state', 'failed')
})
