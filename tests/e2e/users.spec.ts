import { addUsers, expect, lane, lanes, openInspector, openTab, setFault, test } from './support/fixtures'

const FIVE_EVENTS = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed']

test.describe('users and their lanes', () => {
  test('three users get three lanes, and a run shows each user exactly its own five events', async ({
    page,
    inspector
  }) => {
    await openInspector(page, inspector.url)
    await expect(page.getByTestId('current-phase')).toHaveAttribute('data-phase', 'ready')

    const users = await addUsers(page, 3)
    expect(users).toHaveLength(3)
    await expect(lanes(page)).toHaveCount(3)

    await page.getByTestId('run-all-button').click()
    for (const user of users) {
      await expect(page.getByTestId(`lane-latency-${user}`)).not.toHaveAttribute('data-last-ms', '')
      const events = lane(page, user).getByTestId('lane-event')
      await expect(events).toHaveCount(5)
      // Newest first: the lane reads bottom-up in the order the agent emitted them.
      const types = await events.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-type')))
      expect(types.reverse()).toEqual(FIVE_EVENTS)
      // ...and on screen too: each row one row height below the newer one.
      const tops = await events.evaluateAll((rows) => rows.map((row) => row.getBoundingClientRect().top))
      const steps = tops.slice(1).map((top, i) => top - (tops[i] ?? NaN))
      expect(steps).toEqual([22, 22, 22, 22])
      await expect(events.and(page.locator(`[data-owner="${user}"]`))).toHaveCount(5)
      await expect(events.and(page.locator('[data-violation="true"]'))).toHaveCount(0)
      await expect(lane(page, user)).toHaveAttribute('data-violations', '0')
      await expect(page.getByTestId(`lane-stats-${user}`)).toContainText('runs 1/1')
    }
    await expect(page.getByTestId('violation-count')).toHaveAttribute('data-count', '0')
  })

  test('the event-type filter hides the other types in every lane', async ({ page, inspector }) => {
    await openInspector(page, inspector.url)
    const users = await addUsers(page, 2)
    await page.getByTestId('run-all-button').click()
    for (const user of users) await expect(lane(page, user).getByTestId('lane-event')).toHaveCount(5)

    for (const type of FIVE_EVENTS.filter((t) => t !== 'agent_completed')) {
      await page.getByTestId(`filter-type-${type}`).click()
      await expect(page.getByTestId(`filter-type-${type}`)).toHaveAttribute('data-on', 'false')
    }
    for (const user of users) {
      const events = lane(page, user).getByTestId('lane-event')
      await expect(events).toHaveCount(1)
      await expect(events).toHaveAttribute('data-type', 'agent_completed')
    }
  })

  test('lanes scrolled out of the strip keep their counts but render rows only once scrolled into view', async ({
    page,
    inspector
  }) => {
    await openInspector(page, inspector.url)
    // Twelve lanes of 250 px: at 1440 px the last ones start off screen.
    const users = await addUsers(page, 12)
    const first = users[0]
    const last = users.at(-1)
    if (first === undefined || last === undefined) throw new Error('expected twelve users')

    await page.getByTestId('run-all-button').click()
    await expect(page.getByTestId(`lane-stats-${last}`)).toContainText('runs 1/1 · recv 5')
    await expect(lane(page, first).getByTestId('lane-event')).toHaveCount(5)
    await expect(lane(page, last).getByTestId('lane-event')).toHaveCount(0)

    await lane(page, last).scrollIntoViewIfNeeded()
    await expect(lane(page, last).getByTestId('lane-event')).toHaveCount(5)
    await expect(lane(page, first).getByTestId('lane-event')).toHaveCount(0)
    await expect(page.getByTestId(`lane-stats-${first}`)).toContainText('runs 1/1 · recv 5')
  })

  test('one user runs alone, and a removed user’s lane shows it disconnected', async ({
    page,
    inspector
  }) => {
    await openInspector(page, inspector.url)
    const [first, second] = await addUsers(page, 2)
    if (first === undefined || second === undefined) throw new Error('expected two users')

    await page.getByTestId(`run-user-${first}`).click()
    await expect(lane(page, first).getByTestId('lane-event')).toHaveCount(5)
    await expect(lane(page, second).getByTestId('lane-event')).toHaveCount(0)

    await page.getByTestId(`remove-user-${second}`).click()
    await expect(lane(page, second)).toHaveAttribute('data-connected', 'false')
    await expect(lane(page, first)).toHaveAttribute('data-connected', 'true')
  })

  test('the shared singleton fault leaks every event to every user, red in the receiver’s lane', async ({
    page,
    inspector
  }) => {
    await openInspector(page, inspector.url)
    await setFault(page, 'shared_singleton_manager', true)
    await expect(page.getByTestId('current-phase')).toHaveAttribute('data-phase', 'ready')

    const users = await addUsers(page, 3)
    await page.getByTestId('run-all-button').click()

    // 3 users × 5 events, each also delivered to the 2 others.
    await expect(page.getByTestId('violation-count')).toHaveAttribute('data-count', '30')
    await page.getByTestId('filter-violations').click()
    for (const user of users) {
      const others = users.filter((other) => other !== user)
      await expect(lane(page, user)).toHaveAttribute('data-violations', '10')
      const leaked = lane(page, user).getByTestId('lane-event')
      await expect(leaked).toHaveCount(10)
      const owners = await leaked.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-owner')))
      expect(new Set(owners)).toEqual(new Set(others))
      for (const row of await leaked.all()) {
        await expect(row).toHaveAttribute('data-violation', 'true')
        await expect(row).toContainText(`from ${await row.getAttribute('data-owner')}`)
      }
      // Red: the row is drawn in the danger colour (#f2555a).
      await expect(leaked.first()).toHaveCSS('border-left-color', 'rgb(242, 85, 90)')
    }

    await openTab(page, 'factory')
    await expect(page.getByTestId('factory-graph')).toHaveAttribute('data-mode', 'shared')
    await expect(page.getByTestId('factory-shared-node')).toHaveAttribute('data-connections', '3')
    await expect(page.getByTestId('factory-shared-warning')).toBeVisible()
  })

  test('switching the fault off again gives one isolated manager per user and no violations', async ({
    page,
    inspector
  }) => {
    await openInspector(page, inspector.url)
    await setFault(page, 'shared_singleton_manager', true)
    await setFault(page, 'shared_singleton_manager', false)
    await expect(page.getByTestId('active-fault-count')).toHaveAttribute('data-count', '0')

    const users = await addUsers(page, 3)
    await page.getByTestId('run-all-button').click()
    for (const user of users) await expect(lane(page, user).getByTestId('lane-event')).toHaveCount(5)
    await expect(page.getByTestId('violation-count')).toHaveAttribute('data-count', '0')

    await openTab(page, 'factory')
    await expect(page.getByTestId('factory-graph')).toHaveAttribute('data-mode', 'isolated')
    await expect(page.locator('[data-testid^="factory-node-"][data-mode="isolated"]')).toHaveCount(3)
  })
})
