import { expect, openInspector, openTab, setFault, test } from './support/fixtures'

test.describe('start-up', () => {
  test('a healthy start-up walks every phase to ready with every contract passing', async ({
    page,
    inspector
  }) => {
    await openInspector(page, inspector.url)
    await expect(page.getByTestId('current-phase')).toHaveAttribute('data-phase', 'ready')
    await expect(page.getByTestId('phase-graph')).toHaveAttribute('data-layout', 'done')
    await expect(page.getByTestId('phase-node-ready')).toHaveAttribute('data-active', 'true')
    for (const phase of ['initialization', 'configuration', 'integration', 'readiness']) {
      await expect(page.getByTestId(`phase-node-${phase}`)).toHaveAttribute('data-visited', 'true')
    }
    for (const contract of [
      'websocket_connection_pool',
      'agent_websocket_bridge',
      'execution_engine_factory'
    ]) {
      await expect(page.getByTestId(`contract-${contract}`)).toHaveAttribute('data-status', 'pass')
    }
    await expect(page.getByTestId('startup-failure')).toHaveCount(0)
  })

  test('an import-time manager fails INITIALIZATION with the import chain that led there', async ({
    page,
    inspector
  }) => {
    await openInspector(page, inspector.url)
    await setFault(page, 'import_time_manager', true)
    await openTab(page, 'startup')

    await expect(page.getByTestId('current-phase')).toHaveAttribute('data-phase', 'failed')
    await expect(page.getByTestId('startup-failure')).toHaveAttribute('data-phase', 'initialization')
    await expect(page.getByTestId('failure-message')).toContainText(
      'ValueError: WebSocket manager creation requires valid UserExecutionContext. Import-time initialization is prohibited.'
    )
    const chain = page.getByTestId('import-chain').getByTestId('import-chain-item')
    await expect(chain.first()).toHaveText('smd.py')
    await expect(chain.filter({ hasText: 'agent_service_factory.py:14' })).toHaveCount(1)
    await expect(page.getByTestId('phase-graph')).toHaveAttribute('data-layout', 'done')
    await expect(page.getByTestId('phase-node-initialization')).toHaveAttribute('data-failed', 'true')
    await expect(page.getByTestId('phase-node-failed')).toHaveAttribute('data-active', 'true')
  })

  test('a missing bridge fails CONFIGURATION with the ADR’s error, and switching it off fixes it live', async ({
    page,
    inspector
  }) => {
    await openInspector(page, inspector.url)
    await setFault(page, 'missing_bridge_fail_fast', true)
    await openTab(page, 'startup')

    await expect(page.getByTestId('startup-failure')).toHaveAttribute('data-phase', 'configuration')
    await expect(page.getByTestId('failure-message')).toContainText(
      'ExecutionEngineFactoryError: ExecutionEngineFactory requires websocket_bridge during initialization.'
    )

    // Users cannot join a runtime that did not start; the control says why.
    await openTab(page, 'users')
    await page.getByTestId('add-users-button').click()
    await expect(page.getByTestId('command-error')).toContainText('start-up failed in CONFIGURATION')

    await setFault(page, 'missing_bridge_fail_fast', false)
    await openTab(page, 'startup')
    await expect(page.getByTestId('current-phase')).toHaveAttribute('data-phase', 'ready')
    await expect(page.getByTestId('startup-failure')).toHaveCount(0)
  })

  test('restarting start-up walks the machine again from the top', async ({ page, inspector }) => {
    await openInspector(page, inspector.url)
    await expect(page.getByTestId('current-phase')).toHaveAttribute('data-phase', 'ready')
    await openTab(page, 'faults')
    await page.getByTestId('restart-startup-button').click()
    await expect(page.getByTestId('restart-startup-button')).toBeEnabled()
    await expect(page.getByTestId('current-phase')).toHaveAttribute('data-phase', 'ready')
    await openTab(page, 'startup')
    await expect(page.getByTestId('phase-history')).not.toHaveAttribute('data-length', '0')
  })
})
