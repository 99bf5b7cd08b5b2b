/**
 * The example of docs/testing.md, as a user of the package writes it: it imports nothing but the package.
 */
import { expect, test } from 'session-inspector/playwright'

// A short pause between a run's five events keeps the tests quick; the default (120 ms) paces them for watching.
test.use({ inspectorOptions: { stepDelayMs: 20 } })

test('with the singleton bug alice sees bob’s events; without it nobody sees anyone else’s', async ({
  inspector,
  page
}) => {
  // Break it: one shared manager for everyone.
  expect(await inspector.setFaults(['shared_singleton_manager'])).toEqual({ phase: 'ready' })
  const [alice, bob] = await inspector.addUsers(2)
  await inspector.runAll()

  // Each receives their own five events and the other's five, drawn red and naming their owner.
  await expect(page.getByTestId('violation-count')).toHaveAttribute('data-count', '10')
  await expect
    .poll(() => inspector.laneCounts(alice!))
    .toEqual({ runsStarted: 1, runsCompleted: 1, received: 10, violations: 5, missing: 0 })
  const leaked = page
    .getByTestId(`lane-${alice}`)
    .locator('[data-testid="lane-event"][data-violation="true"]')
  await expect(leaked.first()).toHaveAttribute('data-owner', bob!)

  // Fix it: set_faults rebuilds the runtime, which drops every user.
  await inspector.setFaults([])
  expect(await inspector.userIds()).toEqual([])
  const users = await inspector.addUsers(2)
  const counts = await inspector.runAll({ runs: 2 })
  expect(Object.keys(counts)).toEqual(users)
  for (const user of users) {
    await expect
      .poll(() => inspector.laneCounts(user))
      .toEqual({ runsStarted: 2, runsCompleted: 2, received: 10, violations: 0, missing: 0 })
  }
  await expect(page.getByTestId('violation-count')).toHaveAttribute('data-count', '0')
})

test('fail-fast without a bridge: start-up fails in CONFIGURATION with the ADR’s error, and users are refused', async ({
  inspector,
  page
}) => {
  expect(await inspector.setFaults(['missing_bridge_fail_fast'])).toEqual({ phase: 'failed' })
  await inspector.openTab('startup')
  await expect(page.getByTestId('startup-failure')).toHaveAttribute('data-phase', 'configuration')
  await expect(page.getByTestId('failure-message')).toHaveText(
    'ExecutionEngineFactoryError: ExecutionEngineFactory requires websocket_bridge during initialization. ' +
      'This is required for WebSocket events that enable chat business value.'
  )
  await expect(inspector.addUsers(1)).rejects.toThrow(
    /refused add_users: add_users: start-up failed in CONFIGURATION/
  )
})

test('a scenario replays its failure and its fix, and its whys are bound', async ({ inspector, page }) => {
  expect(await inspector.openScenario('cross-user-leak')).toEqual({
    ok: true,
    reproduced: true,
    fixed: true,
    whysBound: true
  })
  await expect(page.getByTestId('scenario-whys')).toHaveAttribute('data-count', '5')
})

test('send() drives the runtime from Node: set_faults rebuilds it without faults or users', async ({
  inspector,
  page
}) => {
  await inspector.setFaults(['malformed_ids'])
  await inspector.addUsers(1)
  await inspector.send({ cmd: 'set_faults', faults: [] })
  await expect(page.getByTestId('lanes')).toHaveAttribute('data-count', '0')
  await inspector.openTab('faults')
  await expect(page.getByTestId('active-fault-count')).toHaveAttribute('data-count', '0')
})
