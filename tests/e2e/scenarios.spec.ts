import { readFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { expect, openInspector, openTab, test } from './support/fixtures'

/** What each built-in scenario's failing runs must show: where it broke and the error the seeds report. */
const FAILURES: Record<string, Record<string, { source: string; phase: string; error: string }>> = {
  'import-time-factory-call': {
    failure: {
      source: 'startup',
      phase: 'initialization',
      error: 'ValueError: user_context must be a UserExecutionContext instance'
    }
  },
  'import-time-manager-in-tests': {
    failure: {
      source: 'startup',
      phase: 'initialization',
      error: 'Import-time initialization is prohibited'
    },
    'models-path-context': {
      source: 'test_failed',
      phase: 'ready',
      error: 'user_context must be a UserExecutionContext instance'
    }
  },
  'legacy-startup-singletons': {
    failure: {
      source: 'startup',
      phase: 'initialization',
      error: 'Import-time initialization is prohibited'
    },
    'factory-not-registered': {
      source: 'startup',
      phase: 'readiness',
      error: 'RuntimeError: WebSocket manager factory not available'
    }
  },
  'keyword-mismatch': {
    failure: {
      source: 'run_refused',
      phase: 'ready',
      error: "TypeError: create_websocket_manager() got an unexpected keyword argument 'context'"
    }
  },
  'missing-bridge': {
    failure: { source: 'missing', phase: 'ready', error: 'events missing' },
    'fail-fast': {
      source: 'startup',
      phase: 'configuration',
      error: 'ExecutionEngineFactory requires websocket_bridge during initialization'
    }
  },
  'cross-user-leak': {
    failure: { source: 'leak', phase: 'ready', error: '30 events reached the wrong user' }
  }
}

async function runScenario(page: Page, id: string, mode: 'failure' | 'fixed' | 'both'): Promise<void> {
  await page.getByTestId(`scenario-run-${id}-${mode}`).click()
  await expect(page.getByTestId('scenario-result')).toHaveAttribute('data-title', `${id} · ${mode}`)
}

test.describe('scenarios', () => {
  test.beforeEach(async ({ page, inspector }) => {
    await openInspector(page, inspector.url)
    await openTab(page, 'scenarios')
  })

  test('the list shows every built-in scenario', async ({ page }) => {
    await expect(page.getByTestId('scenario-list')).toHaveAttribute(
      'data-count',
      String(Object.keys(FAILURES).length)
    )
    for (const id of Object.keys(FAILURES)) await expect(page.getByTestId(`scenario-${id}`)).toBeVisible()
  })

  for (const [id, failing] of Object.entries(FAILURES)) {
    test(`${id}: the failure shows its error and phase, the fix passes, each why lands on its evidence`, async ({
      page
    }) => {
      await runScenario(page, id, 'both')
      const result = page.getByTestId('scenario-result')
      await expect(result).toHaveAttribute('data-ok', 'true')
      await expect(page.getByTestId('verdict-reproduced')).toHaveAttribute('data-value', 'true')
      await expect(page.getByTestId('verdict-fixed')).toHaveAttribute('data-value', 'true')
      // Failure, its variants and the fix, side by side.
      await expect(page.getByTestId('scenario-outcomes')).toHaveAttribute(
        'data-count',
        String(Object.keys(failing).length + 1)
      )

      for (const [run, expected] of Object.entries(failing)) {
        await expect(page.getByTestId(`scenario-outcome-${run}`)).toHaveAttribute('data-mode', 'failure')
        await expect(page.getByTestId(`scenario-outcome-${run}`)).toHaveAttribute('data-held', 'true')
        const error = page.getByTestId(`outcome-error-${run}`)
        await expect(error).toHaveAttribute('data-source', expected.source)
        await expect(error).toHaveAttribute('data-phase', expected.phase)
        await expect(error).toContainText(expected.error)
      }
      const fixed = page.getByTestId('scenario-outcome-fixed')
      await expect(fixed).toHaveAttribute('data-held', 'true')
      await expect(fixed).toHaveAttribute('data-startup', 'ready')
      await expect(page.getByTestId('outcome-pass-fixed')).toBeVisible()
      await expect(page.getByTestId('outcome-error-fixed')).toHaveCount(0)

      const whys = page.getByTestId('scenario-whys')
      await expect(whys).toHaveAttribute('data-count', '5')
      for (let index = 1; index <= 5; index += 1) {
        const why = page.getByTestId(`why-${index}`)
        await why.click()
        await expect(why).toHaveAttribute('data-active', 'true')
        const run = await why.getAttribute('data-run')
        const seq = await why.getAttribute('data-seq')
        expect(seq).toMatch(/^\d+$/)
        const current = page.getByTestId(`trace-${run}-current`)
        await expect(current).toHaveAttribute('data-seq', String(seq))
        await expect(current).toHaveAttribute('data-whys', new RegExp(`\\b${index}\\b`))
        await expect(current).toBeInViewport()
      }
    })
  }

  test('an import chain is drawn for an import-time failure', async ({ page }) => {
    await runScenario(page, 'import-time-factory-call', 'failure')
    await expect(page.getByTestId('scenario-outcomes')).toHaveAttribute('data-count', '1')
    const chain = page.getByTestId('outcome-chain-failure').getByTestId('outcome-chain-failure-item')
    await expect(chain.first()).toHaveText('test_agents_execute_decorator.py')
    await expect(chain.filter({ hasText: 'agent_service_factory.py:14' })).toHaveCount(1)
    await expect(chain.filter({ hasText: 'manager = get_websocket_manager()' })).toHaveCount(1)
    // Report 000's chain ends in the wrapper's own call, __init__.py:50.
    await expect(chain.last()).toHaveText('create_websocket_manager(None)')
  })

  test('a trace steps back and forward and scrubs, and the projection follows', async ({ page }) => {
    await runScenario(page, 'cross-user-leak', 'failure')
    const position = page.getByTestId('trace-failure-position')
    const total = Number(await position.getAttribute('data-total'))
    expect(total).toBeGreaterThan(20)
    await expect(position).toHaveAttribute('data-position', String(total))
    await expect(page.getByTestId('trace-failure-state')).toHaveAttribute('data-violations', '30')

    await page.getByTestId('trace-failure-start').click()
    await expect(position).toHaveAttribute('data-position', '0')
    await expect(page.getByTestId('trace-failure-current')).toHaveAttribute('data-seq', '')
    await expect(page.getByTestId('trace-failure-state')).toHaveAttribute('data-violations', '0')

    await page.getByTestId('trace-failure-forward').click()
    await page.getByTestId('trace-failure-forward').click()
    await expect(position).toHaveAttribute('data-position', '2')
    await page.getByTestId('trace-failure-back').click()
    await expect(position).toHaveAttribute('data-position', '1')
    const first = page.getByTestId('trace-failure-steps').getByTestId('trace-step').first()
    await expect(page.getByTestId('trace-failure-current')).toHaveAttribute(
      'data-seq',
      String(await first.getAttribute('data-seq'))
    )

    // Scrub to the first violation: the projection counts exactly one.
    const violation = page.locator('[data-testid="trace-step"][data-kind="isolation_violation"]').first()
    const seq = Number(await violation.getAttribute('data-seq'))
    const steps = page.getByTestId('trace-failure-steps').getByTestId('trace-step')
    const seqs = (await steps.evaluateAll((items) => items.map((item) => item.getAttribute('data-seq')))).map(
      Number
    )
    await page.getByTestId('trace-failure-scrubber').fill(String(seqs.indexOf(seq) + 1))
    await expect(page.getByTestId('trace-failure-current')).toHaveAttribute(
      'data-kind',
      'isolation_violation'
    )
    await expect(page.getByTestId('trace-failure-state')).toHaveAttribute('data-violations', '1')
  })

  test('a failing run opens in the views, read-only, at its cursor', async ({ page }) => {
    await runScenario(page, 'cross-user-leak', 'failure')
    await page.getByTestId('outcome-open-failure').click()
    await expect(page.getByTestId('replay-banner')).toHaveAttribute('data-source', 'scenario')
    await expect(page.getByTestId('view-users')).toBeVisible()
    await expect(page.getByTestId('violation-count')).toHaveAttribute('data-count', '30')
    await expect(page.getByTestId('add-users-button')).toBeDisabled()
    await page.getByTestId('replay-exit-button').click()
    await expect(page.getByTestId('violation-count')).toHaveAttribute('data-count', '0')
    await expect(page.getByTestId('add-users-button')).toBeEnabled()
  })

  test('only the failure, or only the fix, can be run', async ({ page }) => {
    await runScenario(page, 'missing-bridge', 'failure')
    await expect(page.getByTestId('scenario-outcomes')).toHaveAttribute('data-count', '2')
    await expect(page.getByTestId('scenario-outcome-fixed')).toHaveCount(0)
    await expect(page.getByTestId('verdict-fixed')).toHaveAttribute('data-value', 'null')

    await runScenario(page, 'missing-bridge', 'fixed')
    await expect(page.getByTestId('scenario-outcomes')).toHaveAttribute('data-count', '1')
    await expect(page.getByTestId('scenario-outcome-fixed')).toHaveAttribute('data-held', 'true')
    await expect(page.getByTestId('verdict-reproduced')).toHaveAttribute('data-value', 'null')
  })

  test('the markdown report downloads', async ({ page }) => {
    const download = page.waitForEvent('download')
    await page.getByTestId('scenario-report-cross-user-leak').click()
    const file = await download
    expect(file.suggestedFilename()).toBe('cross-user-leak-report.md')
    const markdown = await readFile(await file.path(), 'utf8')
    expect(markdown).toContain('One shared manager sends every user')
    expect(markdown).toMatch(/why/i)
    await expect(page.getByTestId('scenario-report')).toHaveAttribute('data-id', 'cross-user-leak')
  })
})
