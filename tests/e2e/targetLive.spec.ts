import { startSampleBackend } from '../fixtures/sampleBackend/sampleBackend'
import { expect, lane, openInspector, openTab, test } from './support/fixtures'

const DANGER = 'rgb(242, 85, 90)'

test.describe('a target run from the app, live', () => {
  test('lanes fill while the run goes, leaks in red, the overview opens a lane, the report comes at the end', async ({
    page,
    inspector
  }) => {
    // A second between a run's steps: the run lasts five, so its lanes are seen filling before it ends, even on a
    // loaded machine.
    const backend = await startSampleBackend({ port: 0, bug: 'broadcast', stepMs: 1_000 })
    try {
      await openInspector(page, inspector.url)
      await openTab(page, 'target')
      await page.getByTestId('target-users').fill('3')
      await page.getByTestId('target-runs').fill('1')
      await page.getByTestId('target-url').fill(`${backend.url}?room={{room}}`)
      await page.getByTestId('target-run-button').click()
      await expect(page.getByTestId('target-running')).toBeVisible()
      await openTab(page, 'users')
      // In one look at the page (one selector, matched at once): a lane shows events received while the run_target
      // command is still unanswered, and the top bar shows the target run's figures meanwhile. A run that ended
      // first never matches.
      const inFlight =
        '[data-testid="app-shell"]:not([data-commands-in-flight="0"])' +
        ':has([data-testid="violation-count"][data-source="target"])'
      await expect(
        page.locator(`${inFlight} [data-testid="lane-user_1"]:not([data-received="0"])`)
      ).toHaveCount(1)
      await expect(lane(page, 'user_1').getByTestId('lane-event').first()).toBeVisible()

      // The run ends: broadcast gives each user the other two's events, in red.
      await expect(page.getByTestId('app-shell')).toHaveAttribute('data-commands-in-flight', '0', {
        timeout: 20_000
      })
      for (const user of ['user_1', 'user_2', 'user_3']) {
        await expect(lane(page, user)).toHaveAttribute('data-violations', '10')
        await expect(lane(page, user)).toHaveCSS('border-top-color', DANGER)
        const leaked = lane(page, user).locator('[data-testid="lane-event"][data-violation="true"]')
        await expect(leaked.first()).toHaveCSS('border-left-color', DANGER)
      }

      // The overview lists every user with its counts and leaks, sorts by leaks, and opens one lane alone.
      const overview = page.getByTestId('users-overview')
      await expect(overview).toHaveAttribute('data-count', '3')
      await expect(overview).toHaveAttribute('data-leaking', '3')
      const row = page.getByTestId('overview-user-user_2')
      await expect(row).toHaveAttribute('data-connected', 'false')
      await expect(row).toHaveAttribute('data-runs-completed', '1')
      await expect(row).toHaveAttribute('data-received', '15')
      await expect(row).toHaveAttribute('data-violations', '10')
      await expect(row).toHaveAttribute('data-leaked', '10')
      expect(Number(await row.getAttribute('data-canary-leaks'))).toBeGreaterThan(0)
      await expect(row).toHaveCSS('color', DANGER)
      await page.getByTestId('overview-sort-leaks').click()
      await expect(overview).toHaveAttribute('data-sort', 'leaks')
      await row.click()
      await expect(page.getByTestId('lanes-focus')).toHaveAttribute('data-user', 'user_2')
      await expect(page.getByTestId('lanes')).toHaveAttribute('data-shown', '1')
      await expect(lane(page, 'user_2')).toBeVisible()
      await expect(lane(page, 'user_1')).toHaveCount(0)
      await page.getByTestId('lanes-show-all').click()
      await expect(page.getByTestId('lanes')).toHaveAttribute('data-shown', '3')

      // The report arrived at the end, with the same count the top bar shows for the run.
      await openTab(page, 'target')
      await expect(page.getByTestId('target-verdict')).toHaveAttribute('data-exit-code', '1')
      await expect(page.getByTestId('violation-count')).toHaveAttribute('data-source', 'target')
      await expect(page.getByTestId('violation-count')).toHaveAttribute('data-count', '30')
    } finally {
      await backend.close()
    }
  })

  test('a count over the app cap is refused with a message naming the cap, never lowered', async ({
    page,
    inspector
  }) => {
    await openInspector(page, inspector.url)
    await openTab(page, 'target')
    await page.getByTestId('target-users').fill('501')
    await expect(page.getByTestId('target-users')).toHaveValue('501')
    await expect(page.getByTestId('target-users-error')).toHaveText(
      "users: 501 is over the app's cap of 500; the CLI takes more (session-inspector target --users 501)"
    )
    await expect(page.getByTestId('target-run-button')).toBeDisabled()
    await page.getByTestId('target-runs').fill('21')
    await expect(page.getByTestId('target-runs-error')).toContainText("over the app's cap of 20")
    await page.getByTestId('target-users').fill('500')
    await page.getByTestId('target-runs').fill('20')
    await expect(page.getByTestId('target-users-error')).toHaveCount(0)
    await expect(page.getByTestId('target-runs-error')).toHaveCount(0)
    await expect(page.getByTestId('target-run-button')).toBeEnabled()
  })
})
