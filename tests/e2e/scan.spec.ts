import { resolve } from 'node:path'
import { expect, openInspector, test } from './support/fixtures'

test.describe('scan from the app', () => {
  test("report 000's tree: the finding with its chain, then its start-up failure in this view", async ({
    page,
    inspector
  }) => {
    await openInspector(page, inspector.url)
    await page.getByTestId('scan-path').fill(resolve('tests/fixtures/scan/report000'))
    await page.getByTestId('scan-run').click()
    const result = page.getByTestId('scan-result')
    await expect(result).toHaveAttribute('data-findings', '1')
    await expect(result).toHaveAttribute('data-exit-code', '1')
    await expect(page.getByTestId('scan-finding')).toContainText('agent_service_factory.py:14')
    await expect(page.getByTestId('scan-finding')).toContainText(
      'test_agents_execute_decorator.py → agents_execute.py → agent_service.py → agent_service_factory.py:14'
    )

    await page.getByTestId('scan-open').click()
    await expect(page.getByTestId('replay-banner')).toBeVisible()
    await expect(page.getByTestId('startup-failure')).toHaveAttribute('data-phase', 'initialization')
    const chain = page.getByTestId('import-chain').getByTestId('import-chain-item')
    await expect(chain.first()).toHaveText('test_agents_execute_decorator.py')
    await expect(chain.filter({ hasText: 'agent_service_factory.py:14' })).toHaveCount(1)
  })

  test('a path that is not a folder is refused by name', async ({ page, inspector }) => {
    await openInspector(page, inspector.url)
    await page.getByTestId('scan-path').fill('/no/such/folder')
    await page.getByTestId('scan-run').click()
    await expect(page.getByTestId('command-error')).toContainText('/no/such/folder: not a folder')
    await expect(page.getByTestId('scan-result')).toHaveCount(0)
  })
})
