/**
 * An example of a script a user of Session Inspector writes: start the tool in web mode, open the URL it prints,
 * and check an isolation property of the runtime through the UI's data-testids (docs/testing.md lists them all).
 * It uses nothing from this repository's test helpers; copy it next to your own tests and adapt.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { expect, test } from '@playwright/test'

let server: ChildProcess
let url: string

test.beforeAll(async () => {
  // `session-inspector serve` prints the URL, with its per-launch token, as its first line.
  server = spawn('node', ['bin/session-inspector.mjs', 'serve', '--port', '0', '--step-delay', '20'], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const lines = createInterface({ input: server.stdout! })
  url = await new Promise<string>((resolve) => lines.once('line', resolve))
})

test.afterAll(() => {
  server.kill()
})

test('with the singleton bug, alice sees bob’s events; without it, nobody sees anyone else’s', async ({
  page
}) => {
  await page.goto(url)
  await expect(page.getByTestId('current-phase')).toHaveAttribute('data-phase', 'ready')

  // Break it: the shared singleton manager.
  await page.getByTestId('tab-faults').click()
  await page.getByTestId('fault-toggle-shared_singleton_manager').click()
  await expect(page.getByTestId('fault-toggle-shared_singleton_manager')).toBeChecked()
  await expect(page.getByTestId('fault-toggle-shared_singleton_manager')).toBeEnabled()

  // Two users, one run each.
  await page.getByTestId('tab-users').click()
  await page.getByTestId('add-users-count').fill('2')
  await page.getByTestId('add-users-button').click()
  await expect(page.getByTestId('lanes')).toHaveAttribute('data-count', '2')
  await page.getByTestId('run-all-button').click()

  // Each user receives the other's five events, drawn red and naming their owner.
  await expect(page.getByTestId('violation-count')).toHaveAttribute('data-count', '10')
  const [first, second] = await page
    .getByTestId('lanes')
    .locator('[data-user-id]')
    .evaluateAll((lanes) => lanes.map((lane) => lane.getAttribute('data-user-id') ?? ''))
  const leaked = page
    .getByTestId(`lane-${first}`)
    .locator('[data-testid="lane-event"][data-violation="true"]')
  await expect(leaked).toHaveCount(5)
  await expect(leaked.first()).toHaveAttribute('data-owner', second!)
  await expect(leaked.first()).toContainText(`from ${second}`)

  // Fix it: the runtime restarts with one manager per user.
  await page.getByTestId('tab-faults').click()
  await page.getByTestId('fault-toggle-shared_singleton_manager').click()
  await expect(page.getByTestId('fault-toggle-shared_singleton_manager')).not.toBeChecked()
  await expect(page.getByTestId('fault-toggle-shared_singleton_manager')).toBeEnabled()
  await page.getByTestId('tab-users').click()
  await page.getByTestId('add-users-count').fill('2')
  await page.getByTestId('add-users-button').click()
  await expect(page.getByTestId('lanes')).toHaveAttribute('data-count', '2')
  await page.getByTestId('run-all-button').click()
  for (const lane of await page.getByTestId('lanes').locator('[data-user-id]').all()) {
    await expect(lane.getByTestId('lane-event')).toHaveCount(5)
  }
  await expect(page.getByTestId('violation-count')).toHaveAttribute('data-count', '0')
})
