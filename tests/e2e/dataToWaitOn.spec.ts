import type { Page } from '@playwright/test'
import { expect, test } from 'session-inspector/playwright'

// Runs long enough (5 steps x 150 ms per run) that "in flight" lasts for a while.
test.use({ inspectorOptions: { stepDelayMs: 150 } })

/** Records every value an attribute takes from now on, so a short-lived state cannot slip between two polls. */
async function recordAttribute(
  page: Page,
  testId: string,
  attribute: string
): Promise<() => Promise<string[]>> {
  const key = `__seen_${testId}_${attribute}`
  // Runs in the page: its globals are reached through the node, this project's types being Node's.
  await page.getByTestId(testId).evaluate(
    (node, { attribute, key }) => {
      const view = node.ownerDocument.defaultView
      const seen: string[] = [String(node.getAttribute(attribute))]
      view[key] = seen
      new view.MutationObserver(() => seen.push(String(node.getAttribute(attribute)))).observe(node, {
        attributes: true,
        attributeFilter: [attribute]
      })
    },
    { attribute, key }
  )
  return () =>
    page.getByTestId(testId).evaluate((node, key) => node.ownerDocument.defaultView[key] ?? [], key)
}

test('lanes count runs started, completed, events received and violations; the shell is busy while runs are in flight', async ({
  inspector,
  page
}) => {
  const [alice, bob] = await inspector.addUsers(2)
  const shell = page.getByTestId('app-shell')
  await expect(shell).toHaveAttribute('data-busy', 'false')
  const busySeen = await recordAttribute(page, 'app-shell', 'data-busy')
  const runningSeen = await recordAttribute(page, 'app-shell', 'data-runs-in-flight')

  await page.getByTestId('runs-count').fill('2')
  await page.getByTestId('run-all-button').click()
  for (const user of [alice!, bob!]) {
    const lane = page.getByTestId(`lane-${user}`)
    await expect(lane).toHaveAttribute('data-runs-started', '2')
    await expect(lane).toHaveAttribute('data-runs-completed', '2')
    await expect(lane).toHaveAttribute('data-received', '10')
    await expect(lane).toHaveAttribute('data-violations', '0')
    await expect(lane).toHaveAttribute('data-missing', '0')
    // The text says the same as the attributes.
    await expect(page.getByTestId(`lane-stats-${user}`)).toContainText('runs 2/2 · recv 10')
  }
  await expect(shell).toHaveAttribute('data-busy', 'false')
  await expect(shell).toHaveAttribute('data-runs-in-flight', '0')
  // start_runs is answered only once every run has started, and each run counts as in flight from its
  // run_started to its run_completed: the shell is busy from the click to the last run's end, never idle between.
  expect(await busySeen()).toEqual(['false', 'true', 'false'])
  const running = await runningSeen()
  expect(running.at(-1)).toBe('0')
  expect(Math.max(...running.map(Number))).toBeGreaterThan(0)
  expect(Math.max(...running.map(Number))).toBeLessThanOrEqual(4)
})

test('a fault toggle is disabled while set_faults applies, flips once the rebuilt runtime says so, and every user is dropped', async ({
  inspector,
  page
}) => {
  await inspector.addUsers(2)
  await inspector.openTab('faults')
  const toggle = page.getByTestId('fault-toggle-shared_singleton_manager')
  const disabledSeen = await recordAttribute(page, 'fault-toggle-shared_singleton_manager', 'disabled')
  const onSeen = await recordAttribute(page, 'fault-toggle-shared_singleton_manager', 'data-on')
  const busySeen = await recordAttribute(page, 'app-shell', 'data-busy')

  await toggle.click()
  await expect(toggle).toHaveAttribute('data-on', 'true')
  await expect(toggle).toBeEnabled()
  await expect(page.getByTestId('app-shell')).toHaveAttribute('data-busy', 'false')
  // Disabled (attribute present: "") then enabled again (null); on only after that reply's reset.
  expect(await disabledSeen()).toEqual(['null', '', 'null'])
  expect(await onSeen()).toEqual(['false', 'true'])
  expect(await busySeen()).toEqual(['false', 'true', 'false'])
  await inspector.openTab('users')
  await expect(page.getByTestId('lanes')).toHaveAttribute('data-count', '0')
})
