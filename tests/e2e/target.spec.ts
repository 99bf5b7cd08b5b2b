import type { Page } from '@playwright/test'
import {
  startSampleBackend,
  type SampleBackend,
  type SampleBug
} from '../fixtures/sampleBackend/sampleBackend'
import { startChatBackend } from '../fixtures/chatBackend/chatBackend'
import { BY_REQUEST, chatTargetJson } from '../helpers/chatTarget'
import { expect, lane, openInspector, openTab, test } from './support/fixtures'

/** A sample backend of tests/fixtures/sampleBackend on a free port, with one bug or none. */
async function withBackend(
  bug: SampleBug | null,
  use: (backend: SampleBackend) => Promise<void>
): Promise<void> {
  const backend = await startSampleBackend({ port: 0, bug })
  try {
    await use(backend)
  } finally {
    await backend.close()
  }
}

/** Runs the Target tab's file (the bundled example unless replaced) against `url` and waits for the report. */
async function runTarget(page: Page, options: { url: string; users: number; runs: number }): Promise<void> {
  await openTab(page, 'target')
  await page.getByTestId('target-users').fill(String(options.users))
  await page.getByTestId('target-runs').fill(String(options.runs))
  // The example's url, on the port this test's backend got.
  await page.getByTestId('target-url').fill(`${options.url}?room={{room}}`)
  await page.getByTestId('target-run-button').click()
  await expect(page.getByTestId('target-report')).toBeVisible({ timeout: 20_000 })
  await expect(page.getByTestId('target-working')).toHaveCount(0)
}

test.describe('target mode from the app', () => {
  test('a correct backend: clean verdict, exit 0, every user its own events only', async ({
    page,
    inspector
  }) => {
    await openInspector(page, inspector.url)
    await withBackend(null, async (backend) => {
      await openTab(page, 'target')
      // The form starts from the bundled example file.
      await expect(page.getByTestId('target-text')).toHaveValue(/"start_run"/)
      await runTarget(page, { url: backend.url, users: 3, runs: 2 })
    })
    const verdict = page.getByTestId('target-verdict')
    await expect(verdict).toHaveAttribute('data-exit-code', '0')
    await expect(verdict).toHaveAttribute('data-verdict', 'clean')
    await expect(page.getByTestId('target-leak-pair')).toHaveCount(0)
    await expect(page.getByTestId('target-run-problem')).toHaveCount(0)
    for (const user of ['user_1', 'user_2', 'user_3']) {
      const row = page.getByTestId(`target-user-${user}`)
      await expect(row).toHaveAttribute('data-own', '10')
      await expect(row).toHaveAttribute('data-foreign', '0')
      await expect(row).not.toHaveAttribute('data-run-latency-ms', '')
    }
    await expect(page.getByTestId('target-latency')).not.toHaveAttribute('data-p50', '')
  })

  test('broadcast: leak pairs name both users, exit 1, and the replay shows red leaks in each lane', async ({
    page,
    inspector
  }) => {
    await openInspector(page, inspector.url)
    await withBackend('broadcast', (backend) => runTarget(page, { url: backend.url, users: 2, runs: 1 }))
    await expect(page.getByTestId('target-verdict')).toHaveAttribute('data-exit-code', '1')
    const pairs = page.getByTestId('target-leak-pair')
    await expect(pairs).toHaveCount(2)
    for (const [from, to] of [
      ['user_1', 'user_2'],
      ['user_2', 'user_1']
    ] as const) {
      const pair = pairs.and(page.locator(`[data-from="${from}"][data-to="${to}"]`))
      await expect(pair).toHaveAttribute('data-events', '5')
      await expect(pair).toContainText(`${from} → ${to}`)
      expect(Number(await pair.getAttribute('data-canary-frames'))).toBeGreaterThan(0)
    }

    await page.getByTestId('target-open-in-views').click()
    await expect(page.getByTestId('view-users')).toBeVisible()
    await expect(page.getByTestId('replay-banner')).toHaveAttribute('data-source', 'recording')
    await expect(page.getByTestId('violation-count')).toHaveAttribute('data-count', '10')
    await expect(page.getByTestId('add-users-button')).toBeDisabled()
    for (const [user, other] of [
      ['user_1', 'user_2'],
      ['user_2', 'user_1']
    ] as const) {
      await expect(lane(page, user)).toHaveAttribute('data-violations', '5')
      await expect(page.getByTestId(`lane-canary-${user}`)).toHaveAttribute('data-from', other)
      const leaked = lane(page, user).locator('[data-testid="lane-event"][data-violation="true"]')
      await expect(leaked).toHaveCount(5)
      await expect(leaked.first()).toContainText(`from ${other}`)
      await expect(leaked.first()).toHaveCSS('border-left-color', 'rgb(242, 85, 90)')
    }

    // The report is still there after the replay.
    await openTab(page, 'target')
    await expect(page.getByTestId('target-verdict')).toHaveAttribute('data-exit-code', '1')
  })

  test('an ownerless chat backend by request id: the top bar shows the target run, lanes the backend’s names', async ({
    page,
    inspector
  }) => {
    await openInspector(page, inspector.url)
    await expect(page.getByTestId('violation-count')).toHaveAttribute('data-source', 'runtime')
    const backend = await startChatBackend({ bug: 'wrong_user' })
    try {
      await openTab(page, 'target')
      const json = chatTargetJson({ events: BY_REQUEST })
      json.url = `${backend.url}?token={{token}}`
      await page.getByTestId('target-text').fill(JSON.stringify(json, null, 2))
      await page.getByTestId('target-users').fill('2')
      await page.getByTestId('target-runs').fill('1')
      await page.getByTestId('target-url').fill('')
      await page.getByTestId('target-run-button').click()
      await expect(page.getByTestId('target-report')).toBeVisible({ timeout: 20_000 })
    } finally {
      await backend.close()
    }
    await expect(page.getByTestId('target-verdict')).toHaveAttribute('data-exit-code', '1')
    await expect(page.getByTestId('target-verdict-line')).toContainText('LEAK between user_1, user_2')
    // Each user got the other's answer: two expected events each, judged by the request id they carry.
    const bar = page.getByTestId('violation-count')
    await expect(bar).toHaveAttribute('data-source', 'target')
    await expect(bar).toHaveAttribute('data-count', '4')
    await expect(bar).toContainText('target run violations: 4')
    await expect(page.getByTestId('target-leak-pair').first()).toContainText('user_1 → user_2')

    await page.getByTestId('target-open-in-views').click()
    await expect(page.getByTestId('violation-count')).toHaveAttribute('data-source', 'replay')
    const rows = lane(page, 'user_1').locator('[data-testid="lane-event"]')
    await expect(rows.first()).toHaveAttribute('data-type-name', /^answer\.(begin|end)$/)
    await expect(rows.and(page.locator('[data-type="agent_started"]')).first()).toContainText('answer.begin')
    await expect(page.getByTestId('filter-type-agent_completed')).toHaveText('answer.end')
  })

  test('drop_tool_completed: every run reported missing tool_completed, exit 3', async ({
    page,
    inspector
  }) => {
    await openInspector(page, inspector.url)
    await withBackend('drop_tool_completed', (backend) =>
      runTarget(page, { url: backend.url, users: 2, runs: 2 })
    )
    await expect(page.getByTestId('target-verdict')).toHaveAttribute('data-exit-code', '3')
    const problems = page.getByTestId('target-run-problem')
    await expect(problems).toHaveCount(4)
    for (const problem of await problems.all()) {
      await expect(problem).toHaveAttribute('data-kind', 'missing')
      await expect(problem).toHaveAttribute('data-missing', 'tool_completed')
    }
    for (const user of ['user_1', 'user_2']) {
      await expect(problems.and(page.locator(`[data-user="${user}"]`))).toHaveCount(2)
    }
    await expect(page.getByTestId('target-leak-pair')).toHaveCount(0)
  })

  test('room_singleton: ids look right, the canaries give it away in the last user’s lane', async ({
    page,
    inspector
  }) => {
    await openInspector(page, inspector.url)
    await openTab(page, 'target')
    // The other users' runs are never seen: a short run timeout keeps the wait short.
    const example = await page.getByTestId('target-text').inputValue()
    await page.getByTestId('target-text').fill(example.replace('"runMs": 30000', '"runMs": 2000'))
    await withBackend('room_singleton', (backend) => runTarget(page, { url: backend.url, users: 3, runs: 1 }))
    await expect(page.getByTestId('target-verdict')).toHaveAttribute('data-exit-code', '1')
    const pairs = page.getByTestId('target-leak-pair')
    await expect(pairs).toHaveCount(2)
    for (const pair of await pairs.all()) {
      await expect(pair).toHaveAttribute('data-to', 'user_3')
      await expect(pair).toHaveAttribute('data-events', '0')
    }
    await expect(page.getByTestId('target-unseen-runs')).toHaveCount(2)

    await page.getByTestId('target-open-in-views').click()
    await expect(page.getByTestId('violation-count')).toHaveAttribute('data-count', '0')
    await expect(page.getByTestId('canary-leak-count')).not.toHaveAttribute('data-count', '0')
    const marked = lane(page, 'user_3').locator('[data-testid="lane-event"]:not([data-canary=""])')
    await expect(marked).not.toHaveCount(0)
    // Owned by user_3 by its ids, yet carrying another user's canary: red, and named.
    await expect(marked.first()).toHaveAttribute('data-owner', 'user_3')
    await expect(marked.first()).toContainText(/canary of user_[12]/)
    await expect(marked.first()).toHaveCSS('border-left-color', 'rgb(242, 85, 90)')
  })

  test('garbage_frames: unparsed frames counted per user with an excerpt, exit 5', async ({
    page,
    inspector
  }) => {
    await openInspector(page, inspector.url)
    await withBackend('garbage_frames', (backend) => runTarget(page, { url: backend.url, users: 2, runs: 1 }))
    await expect(page.getByTestId('target-verdict')).toHaveAttribute('data-exit-code', '5')
    await expect(page.getByTestId('target-unparsed')).toHaveAttribute('data-count', '2')
    const frames = page.getByTestId('target-unparsed-frame')
    await expect(frames).toHaveCount(2)
    await expect(frames.first()).toContainText('not JSON')
    await expect(frames.first().getByTestId('target-excerpt')).not.toBeEmpty()
  })

  test('a broken target file is refused with the field it gets wrong', async ({ page, inspector }) => {
    await openInspector(page, inspector.url)
    await openTab(page, 'target')
    const example = await page.getByTestId('target-text').inputValue()
    const broken = example.replace('"userId": "/owner/user"', '"userId": 5')
    expect(broken).not.toBe(example)
    await page.getByTestId('target-text').fill(broken)
    await page.getByTestId('target-run-button').click()
    const error = page.getByTestId('target-error')
    await expect(error).toHaveAttribute('data-path', 'target')
    await expect(error).toHaveAttribute('data-fields', 'events.userId')
    await expect(error).toContainText('events.userId')
    await expect(page.getByTestId('target-report')).toHaveCount(0)

    await page.getByTestId('target-text').fill('{"url": ')
    await page.getByTestId('target-run-button').click()
    await expect(error).toContainText('not JSON')
  })
})
