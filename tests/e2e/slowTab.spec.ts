import { addUsers, expect, openInspector, test } from './support/fixtures'

const USERS = 20
const RUNS = 300
/** How long the page's main thread is held while the runs flow: it reads nothing meanwhile. */
const BLOCK_MS = 4_000

// No pause between an agent's steps: the runs arrive as a flood.
test.use({ serveOptions: { stepDelayMs: 0 } })

test('a tab that falls behind a flood keeps its connection and marks what was summarised', async ({
  page,
  inspector
}) => {
  // 6,000 runs on a shared 2-core machine: room beyond the default minute.
  test.setTimeout(120_000)
  let sockets = 0
  let closes = 0
  page.on('websocket', (socket) => {
    sockets += 1
    socket.on('close', () => (closes += 1))
  })
  await openInspector(page, inspector.url)
  const users = await addUsers(page, USERS)
  const first = users[0]
  if (first === undefined) throw new Error('expected users')
  // Any disconnect banner, however brief, is remembered.
  await page.evaluate(`(() => {
    window.__bannerSeen = false
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="disconnect-banner"]')) window.__bannerSeen = true
    }).observe(document.body, { childList: true, subtree: true })
  })()`)

  await page.getByTestId('runs-count').fill(String(RUNS))
  await page.getByTestId('run-all-button').click()
  // A string, not a function: tsx's transform would add helpers the page does not have.
  const hold = `(() => { const end = performance.now() + ${BLOCK_MS}; while (performance.now() < end) {} })()`
  const marker = page.getByTestId(`lane-summarised-${first}`)
  // Held again while nothing was summarised yet: a loaded machine may run the flood slowly.
  for (let holds = 0; holds < 3 && !(await marker.isVisible()); holds += 1) await page.evaluate(hold)

  await expect(marker).toBeVisible()
  expect(Number(await marker.getAttribute('data-count'))).toBeGreaterThan(0)
  // Counts stay exact: every run and every event each user received, summarised or not.
  for (const user of users) {
    await expect(page.getByTestId(`lane-stats-${user}`)).toContainText(
      `runs ${RUNS}/${RUNS} · recv ${RUNS * 5}`,
      {
        timeout: 60_000
      }
    )
  }
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'open')
  expect(await page.evaluate('window.__bannerSeen')).toBe(false)
  expect({ sockets, closes }).toEqual({ sockets: 1, closes: 0 })
})
