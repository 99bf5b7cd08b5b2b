import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { expect, openInspector, openTab, test } from './support/fixtures'

const SCREENSHOT = fileURLToPath(new URL('../../docs/screenshot.png', import.meta.url))
/**
 * Rendering jitters by a few pixels from run to run, so the committed picture is rewritten only when it is missing
 * or asked for (`npm run screenshot`); every run attaches the fresh one to the report.
 */
const UPDATE = process.env.UPDATE_SCREENSHOT === '1' || !existsSync(SCREENSHOT)

test('docs/screenshot.png: the cross-user leak scenario, failure beside fix, stopped on its first why', async ({
  page,
  inspector
}, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await openInspector(page, inspector.url)
  await openTab(page, 'scenarios')
  await page.getByTestId('scenario-run-cross-user-leak-both').click()
  await expect(page.getByTestId('scenario-result')).toHaveAttribute('data-ok', 'true')

  // Mid-scenario: the failure's cursor on the step that answers "why does bob see alice's events?".
  await page.getByTestId('why-1').click()
  const seq = await page.getByTestId('why-1').getAttribute('data-seq')
  await expect(page.getByTestId('trace-failure-current')).toHaveAttribute('data-seq', String(seq))
  await expect(page.getByTestId('trace-failure-state')).not.toHaveAttribute('data-violations', '0')
  // The fix's cursor at the same point of its own run, for a like-for-like picture.
  await page.getByTestId('trace-fixed-scrubber').fill(String(Number(seq) + 1))
  await expect(page.getByTestId('why-1')).toHaveAttribute('data-active', 'true')

  await page.mouse.move(0, 0)
  const png = await page.screenshot({ animations: 'disabled', caret: 'hide' })
  await testInfo.attach('screenshot', { body: png, contentType: 'image/png' })
  if (UPDATE) await writeFile(SCREENSHOT, png)
})
