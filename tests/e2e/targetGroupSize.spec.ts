import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { startChatBackend } from '../fixtures/chatBackend/chatBackend'
import { expect, openInspector, openTab, test } from './support/fixtures'

/** The bundled ownerless chat example (users.shareKey: rooms shared in pairs), with a short run timeout: a run
 * whose answers went to the other user of its room never ends, and would wait the example's 5 s. */
const CHAT_EXAMPLE = (() => {
  const path = new URL('../../examples/ownerless-chat.target.json', import.meta.url).pathname
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
  return JSON.stringify({ ...json, timeouts: { connectMs: 2_000, runMs: 1_500, settleMs: 100 } }, null, 2)
})()

/** Runs the form as it stands with `groupSize` ('' keeps the file's) and waits for the new report. */
async function runWithGroupSize(page: Page, groupSize: string): Promise<void> {
  await page.getByTestId('target-group-size').fill(groupSize)
  await page.getByTestId('target-run-button').click()
  await expect(page.getByTestId('target-working')).toHaveCount(0, { timeout: 20_000 })
  await expect(page.getByTestId('target-report')).toBeVisible()
}

/** The room (1-based) a user of the chat example is in with groups of two. */
const roomOf = (user: string | null): number => Math.ceil(Number(user?.replace('user_', '')) / 2)

test.describe('target mode from the app: the group size', () => {
  test("one file, a manager cached per room: leaks with groups of 2, clean with 1, blank keeps the file's", async ({
    page,
    inspector
  }) => {
    await openInspector(page, inspector.url)
    const backend = await startChatBackend({ bug: 'room_cache' })
    try {
      await openTab(page, 'target')
      await page.getByTestId('target-text').fill(CHAT_EXAMPLE)
      await page.getByTestId('target-users').fill('4')
      await page.getByTestId('target-runs').fill('1')
      await page.getByTestId('target-url').fill(`${backend.url}?token={{token}}`)

      await runWithGroupSize(page, '2')
      await expect(page.getByTestId('target-verdict')).toHaveAttribute('data-exit-code', '1')
      // Each room's first asker got the other user's answers: one pair per room, both users of that room.
      const pairs = page.getByTestId('target-leak-pair')
      await expect(pairs).toHaveCount(2)
      for (const pair of await pairs.all())
        expect(roomOf(await pair.getAttribute('data-from'))).toBe(roomOf(await pair.getAttribute('data-to')))

      await runWithGroupSize(page, '1')
      await expect(page.getByTestId('target-verdict')).toHaveAttribute('data-exit-code', '0')
      await expect(page.getByTestId('target-leak-pair')).toHaveCount(0)

      // Blank: the file's groupSize, 2, and the leak again.
      await runWithGroupSize(page, '')
      await expect(page.getByTestId('target-verdict')).toHaveAttribute('data-exit-code', '1')
      await expect(page.getByTestId('target-leak-pair')).toHaveCount(2)
    } finally {
      await backend.close()
    }
  })

  test('a group size out of bounds is refused in the field; for a file without users.shareKey, as the CLI refuses it', async ({
    page,
    inspector
  }) => {
    await openInspector(page, inspector.url)
    await openTab(page, 'target')
    const field = page.getByTestId('target-group-size')
    const refusal =
      "group size: a whole number from 1 to 10000, or blank for the file's users.shareKey.groupSize"
    for (const typed of ['0', '10001', '1.5', 'two']) {
      await field.fill(typed)
      await expect(field).toHaveValue(typed)
      await expect(page.getByTestId('target-group-size-error')).toHaveText(refusal)
      await expect(page.getByTestId('target-run-button')).toBeDisabled()
    }
    await field.fill('10000')
    await expect(page.getByTestId('target-group-size-error')).toHaveCount(0)
    await expect(page.getByTestId('target-run-button')).toBeEnabled()

    // The bundled plain-json example shares no key: refused before anything connects, naming the field.
    await expect(page.getByTestId('target-source')).toHaveAttribute('data-source', 'plain-json.target.json')
    await field.fill('2')
    await page.getByTestId('target-run-button').click()
    const error = page.getByTestId('target-error')
    await expect(error).toHaveAttribute('data-path', 'target')
    await expect(error).toHaveAttribute('data-fields', '--group-size')
    await expect(error).toContainText(
      '--group-size: the target file has no users.shareKey to group; add e.g. "shareKey": {"var": "room", "groupSize": 2} to users'
    )
  })
})
