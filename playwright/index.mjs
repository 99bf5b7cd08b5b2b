// `import { test, expect } from 'session-inspector/playwright'`: Playwright's test with an `inspector` fixture.
// Plain ESM with types in index.d.mts (docs/testing.md, "Why plain JavaScript").
import { test as base, expect } from '@playwright/test'
import { sendCommand, startInspector } from './server.mjs'

export { expect, sendCommand, startInspector }

/** Runs and scenario replays outlast expect's default timeout; each helper waits this long unless told otherwise. */
const DEFAULT_WAIT_MS = 60_000

export const test = base.extend({
  inspectorOptions: [{}, { scope: 'worker', option: true }],
  inspectorServer: [
    async ({ inspectorOptions }, use, workerInfo) => {
      // A fixed port is the first worker's; the others take the next ones, so parallel workers never collide.
      const port = inspectorOptions.port ? inspectorOptions.port + workerInfo.parallelIndex : 0
      const server = await startInspector({ ...inspectorOptions, port })
      try {
        await use(server)
      } finally {
        await server.stop()
      }
    },
    { scope: 'worker', timeout: 90_000 }
  ],
  inspector: async ({ page, inspectorServer }, use) => {
    // set_faults rebuilds the runtime as a restart would: every test starts with no faults, no users, a new stream.
    await inspectorServer.send({ cmd: 'set_faults', faults: [] })
    const inspector = createInspector(page, inspectorServer)
    await inspector.open()
    await use(inspector)
  }
})

/** The helpers over one page of one server; every wait is on the UI's own data-* attributes. */
export function createInspector(page, server) {
  const shell = page.getByTestId('app-shell')
  const lane = (userId) => page.getByTestId(`lane-${userId}`)

  const inspector = {
    url: server.url,
    token: server.token,
    port: server.port,
    page,
    send: (command) => server.send(command),

    async open() {
      await page.goto(server.url)
      await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'open')
      await inspector.waitForStartup()
      await inspector.waitUntilIdle()
    },

    async waitForStartup(options = {}) {
      const phase = page.getByTestId('current-phase')
      await expect(phase).toHaveAttribute('data-phase', /^(ready|failed)$/, {
        timeout: options.timeout ?? DEFAULT_WAIT_MS
      })
      return /** @type {'ready' | 'failed'} */ (await phase.getAttribute('data-phase'))
    },

    async waitUntilIdle(options = {}) {
      await expect(shell).toHaveAttribute('data-busy', 'false', {
        timeout: options.timeout ?? DEFAULT_WAIT_MS
      })
    },

    async openTab(tab) {
      await page.getByTestId(`tab-${tab}`).click()
      await expect(page.getByTestId(`view-${tab}`)).toBeVisible()
    },

    async setFaults(faults, options = {}) {
      const timeout = options.timeout ?? DEFAULT_WAIT_MS
      await inspector.openTab('faults')
      const toggles = page.locator('[data-testid^="fault-toggle-"]')
      const known = await toggles.evaluateAll((nodes) =>
        nodes.map((node) => node.getAttribute('data-testid')?.slice('fault-toggle-'.length) ?? '')
      )
      const unknown = faults.filter((fault) => !known.includes(fault))
      if (unknown.length > 0) {
        throw new Error(
          `setFaults: unknown fault(s) ${unknown.join(', ')}; the runtime's faults are ${known.join(', ')}`
        )
      }
      const wanted = new Set(faults)
      for (const name of known) {
        const toggle = page.getByTestId(`fault-toggle-${name}`)
        const on = wanted.has(name)
        if ((await toggle.getAttribute('data-on')) === String(on)) continue
        // Each toggle sends set_faults: disabled while the runtime rebuilds, flipped once its reset arrives.
        await toggle.click()
        await expect(toggle).toHaveAttribute('data-on', String(on), { timeout })
        await expect(toggle).toBeEnabled({ timeout })
      }
      await expect(page.getByTestId('active-fault-count')).toHaveAttribute(
        'data-count',
        String(wanted.size),
        {
          timeout
        }
      )
      await inspector.waitUntilIdle({ timeout })
      return { phase: await inspector.waitForStartup({ timeout }) }
    },

    async addUsers(count, options = {}) {
      const timeout = options.timeout ?? DEFAULT_WAIT_MS
      await inspector.openTab('users')
      const before = (await inspector.userIds()).length
      await page.getByTestId('add-users-count').fill(String(count))
      await page.getByTestId('add-users-button').click()
      const refused = page.getByTestId('view-users').locator('.controls [data-testid="command-error"]')
      // Either the lanes appear or the runtime says why not (start-up failed, too many users).
      await expect(async () => {
        if (await refused.isVisible()) return
        expect(await inspector.userIds()).toHaveLength(before + count)
      }).toPass({ timeout })
      if (await refused.isVisible()) {
        throw new Error(`addUsers: the runtime refused add_users: ${await refused.innerText()}`)
      }
      await inspector.waitUntilIdle({ timeout })
      return inspector.userIds()
    },

    async userIds() {
      const ids = await page
        .getByTestId('lanes')
        .locator('[data-user-id]')
        .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-user-id')))
      return ids.filter((id) => id !== null)
    },

    async laneCounts(userId) {
      if ((await lane(userId).count()) === 0) {
        const known = await inspector.userIds()
        throw new Error(`laneCounts: no lane for '${userId}'; the lanes are: ${known.join(', ') || 'none'}`)
      }
      const attributes = await lane(userId).evaluate((node) => ({
        runsStarted: node.getAttribute('data-runs-started'),
        runsCompleted: node.getAttribute('data-runs-completed'),
        received: node.getAttribute('data-received'),
        violations: node.getAttribute('data-violations'),
        missing: node.getAttribute('data-missing')
      }))
      return Object.fromEntries(Object.entries(attributes).map(([key, value]) => [key, Number(value)]))
    },

    async allLaneCounts() {
      const counts = {}
      for (const userId of await inspector.userIds()) counts[userId] = await inspector.laneCounts(userId)
      return counts
    },

    async runAll(options = {}) {
      const runs = options.runs ?? 1
      const timeout = options.timeout ?? DEFAULT_WAIT_MS
      await inspector.openTab('users')
      const before = await inspector.allLaneCounts()
      const userIds = Object.keys(before)
      if (userIds.length === 0) throw new Error('runAll: there are no users; call addUsers first')
      await page.getByTestId('runs-count').fill(String(runs))
      await page.getByTestId('run-all-button').click()
      // The click is a command in flight at once, answered only once every run has started: data-busy covers the
      // whole of it until the last run completes.
      await inspector.waitUntilIdle({ timeout })
      const after = await inspector.allLaneCounts()
      for (const userId of userIds) {
        const expected = before[userId].runsStarted + runs
        const { runsStarted, runsCompleted } = after[userId]
        if (runsStarted !== expected || runsCompleted !== expected) {
          throw new Error(
            `runAll: ${userId}'s lane shows ${runsStarted} runs started and ${runsCompleted} completed, expected ${expected} (the runtime refused some, or the user is slow or gone)`
          )
        }
      }
      return after
    },

    async openScenario(id, options = {}) {
      const mode = options.mode ?? 'both'
      const timeout = options.timeout ?? DEFAULT_WAIT_MS
      await inspector.openTab('scenarios')
      await expect(page.getByTestId('scenario-list')).not.toHaveAttribute('data-count', '0', { timeout })
      const run = page.getByTestId(`scenario-run-${id}-${mode}`)
      if ((await run.count()) === 0) {
        const known = await page
          .locator('[data-testid^="scenario-run-"][data-testid$="-both"]')
          .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-testid')?.slice(13, -5)))
        throw new Error(
          `openScenario: no scenario '${id}' with mode '${mode}'; the scenarios are: ${known.join(', ')}`
        )
      }
      await run.click()
      const result = page.getByTestId('scenario-result')
      await expect(result).toHaveAttribute('data-title', `${id} · ${mode}`, { timeout })
      await inspector.waitUntilIdle({ timeout })
      const verdict = async (name) => {
        const value = await page.getByTestId(`verdict-${name}`).getAttribute('data-value')
        return value === 'null' || value === null ? null : value === 'true'
      }
      return {
        ok: (await result.getAttribute('data-ok')) === 'true',
        reproduced: await verdict('reproduced'),
        fixed: await verdict('fixed'),
        whysBound: await verdict('whys-bound')
      }
    }
  }
  return inspector
}
