import { test as base, expect, type Locator, type Page } from '@playwright/test'
import type { InspectorServerOptions } from 'session-inspector/playwright'
import { sendCommand, startInspectorServer, type InspectorServer } from './server'

interface WorkerFixtures {
  /** `serve`'s options; a short step delay keeps runs quick while still streaming event by event. */
  serveOptions: InspectorServerOptions
  /** One `serve` per worker: starting it (tsx, the runtime) costs more than most tests. */
  server: InspectorServer
}

interface TestFixtures {
  /** The worker's `serve` with a fresh runtime: no faults, no users, a new inspection stream. */
  inspector: InspectorServer
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  serveOptions: [{ stepDelayMs: 20 }, { option: true, scope: 'worker' }],
  server: [
    async ({ serveOptions }, use) => {
      const server = await startInspectorServer(serveOptions)
      try {
        await use(server)
      } finally {
        await server.stop()
      }
    },
    { scope: 'worker' }
  ],
  inspector: async ({ server }, use) => {
    // set_faults rebuilds the runtime as a restart would, so every test starts from the same empty session.
    await sendCommand(server.url, { cmd: 'set_faults', faults: [] })
    await use(server)
  }
})

export { expect }

/** Opens the UI and waits until it is connected and has the runtime's first hello. */
export async function openInspector(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'open')
  await expect(page.getByTestId('current-phase')).not.toHaveAttribute('data-phase', '')
}

export async function openTab(page: Page, tab: string): Promise<void> {
  await page.getByTestId(`tab-${tab}`).click()
  await expect(page.getByTestId(`view-${tab}`)).toBeVisible()
}

/** Adds users from the Users tab and returns their ids, in lane order. */
export async function addUsers(page: Page, count: number): Promise<string[]> {
  await openTab(page, 'users')
  const before = await laneCount(page)
  await page.getByTestId('add-users-count').fill(String(count))
  await page.getByTestId('add-users-button').click()
  await expect(page.getByTestId('lanes')).toHaveAttribute('data-count', String(before + count))
  return userIds(page)
}

export async function userIds(page: Page): Promise<string[]> {
  const ids = await lanes(page).evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-user-id')))
  return ids.filter((id): id is string => id !== null)
}

export function lanes(page: Page): Locator {
  return page.getByTestId('lanes').locator('[data-user-id]')
}

export function lane(page: Page, userId: string): Locator {
  return page.getByTestId(`lane-${userId}`)
}

async function laneCount(page: Page): Promise<number> {
  return Number(await page.getByTestId('lanes').getAttribute('data-count'))
}

/** Switches faults on from the Faults tab (each toggle rebuilds the runtime) and waits for the new start-up. */
export async function setFault(page: Page, fault: string, on: boolean): Promise<void> {
  await openTab(page, 'faults')
  const toggle = page.getByTestId(`fault-toggle-${fault}`)
  // The checkbox mirrors the runtime's fault set, so it flips only once the rebuilt runtime says so.
  if ((await toggle.getAttribute('data-on')) !== String(on)) await toggle.click()
  await expect(toggle).toHaveAttribute('data-on', String(on))
  await expect(toggle).toBeEnabled()
}
