import { readFile, writeFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { addUsers, expect, lane, openInspector, openTab, setFault, test } from './support/fixtures'

test.describe('sessions', () => {
  test('record a leaking session, export it as NDJSON, reopen it and replay it read-only', async ({
    page,
    inspector
  }, testInfo) => {
    await openInspector(page, inspector.url)
    await setFault(page, 'shared_singleton_manager', true)
    const users = await addUsers(page, 2)
    await page.getByTestId('run-all-button').click()
    await expect(page.getByTestId('violation-count')).toHaveAttribute('data-count', '10')
    for (const user of users) await expect(page.getByTestId(`lane-stats-${user}`)).toContainText('runs 1/1')

    // Export: the download is the session's whole inspection stream: the format header, then one event a line.
    await openTab(page, 'sessions')
    const download = page.waitForEvent('download')
    await page.getByTestId('recording-export-button').click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^session-.*\.ndjson$/)
    const saved = testInfo.outputPath(file.suggestedFilename())
    await file.saveAs(saved)
    const [header, ...lines] = (await readFile(saved, 'utf8'))
      .split('\n')
      .filter((line) => line.trim() !== '')
    expect(header).toBe('{"format":"session-inspector-recording","version":2}')
    const kinds = lines.map((line) => (JSON.parse(line) as { kind: string }).kind)
    expect(kinds.filter((kind) => kind === 'isolation_violation')).toHaveLength(10)
    // Every event since the runtime started, seq 0 on, none missing.
    expect(lines.map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual(lines.map((_, at) => at))
    await expect(page.getByTestId('sessions-notice')).toContainText(`Saved ${lines.length} events`)
    const live = Number(await page.getByTestId('event-count').getAttribute('data-count'))
    expect(lines.length).toBeGreaterThanOrEqual(live)

    // The live session moves on; the recording does not.
    await openTab(page, 'users')
    await page.getByTestId('run-all-button').click()
    await expect(page.getByTestId('violation-count')).toHaveAttribute('data-count', '20')

    // Reopen: every view shows the recording, at its end, and the controls that would change the runtime are off.
    await openTab(page, 'sessions')
    await page.getByTestId('recording-open-input').setInputFiles(saved)
    const banner = page.getByTestId('replay-banner')
    await expect(banner).toHaveAttribute('data-name', file.suggestedFilename())
    await expect(page.getByTestId('replay-position')).toHaveAttribute('data-total', String(lines.length))
    await expect(page.getByTestId('replay-position')).toHaveAttribute('data-position', String(lines.length))
    await expect(page.getByTestId('violation-count')).toHaveAttribute('data-count', '10')
    await openTab(page, 'users')
    await expect(page.getByTestId('add-users-button')).toBeDisabled()
    await expect(page.getByTestId('run-all-button')).toBeDisabled()
    for (const user of users) {
      await expect(lane(page, user)).toHaveAttribute('data-violations', '5')
      await expect(page.getByTestId(`run-user-${user}`)).toBeDisabled()
    }
    await openTab(page, 'faults')
    await expect(page.getByTestId('fault-toggle-shared_singleton_manager')).toBeDisabled()

    // One event at a time from the start.
    await page.getByTestId('replay-start').click()
    await expect(page.getByTestId('replay-position')).toHaveAttribute('data-position', '0')
    await expect(page.getByTestId('event-count')).toHaveAttribute('data-count', '0')
    await expect(page.getByTestId('replay-current')).toHaveAttribute('data-seq', '')
    await page.getByTestId('replay-forward').click()
    await expect(page.getByTestId('event-count')).toHaveAttribute('data-count', '1')
    await expect(page.getByTestId('replay-current')).toHaveAttribute('data-kind', kinds[0] ?? '')
    await page.getByTestId('replay-forward').click()
    await page.getByTestId('replay-back').click()
    await expect(page.getByTestId('replay-position')).toHaveAttribute('data-position', '1')
    // The arrow keys step too.
    await page.getByTestId('view-faults').click()
    await page.keyboard.press('ArrowRight')
    await expect(page.getByTestId('replay-position')).toHaveAttribute('data-position', '2')
    await page.keyboard.press('ArrowLeft')
    await expect(page.getByTestId('replay-position')).toHaveAttribute('data-position', '1')

    // Scrub to just after the first violation: the views count exactly one.
    const firstViolation = kinds.indexOf('isolation_violation') + 1
    await page.getByTestId('replay-scrubber').fill(String(firstViolation))
    await expect(page.getByTestId('replay-current')).toHaveAttribute('data-kind', 'isolation_violation')
    await expect(page.getByTestId('violation-count')).toHaveAttribute('data-count', '1')
    await page.getByTestId('replay-end').click()
    await expect(page.getByTestId('violation-count')).toHaveAttribute('data-count', '10')

    // Back to live: the session that kept running.
    await page.getByTestId('replay-exit-button').click()
    await expect(banner).toHaveCount(0)
    await expect(page.getByTestId('violation-count')).toHaveAttribute('data-count', '20')
    await expect(page.getByTestId('restart-startup-button')).toBeEnabled()
  })

  test('a large recording opens while it loads: progress first, then every view', async ({
    page,
    inspector
  }, testInfo) => {
    await openInspector(page, inspector.url)
    // About 40 MB of real events: the session's own, repeated with their seqs moved on.
    const first = await exportedLines(page, testInfo.outputPath('first.ndjson'))
    const copies: string[] = ['{"format":"session-inspector-recording","version":2}']
    for (let seq = 0; copies.length * 150 < 40_000_000;) {
      for (const line of first) copies.push(JSON.stringify({ ...(JSON.parse(line) as object), seq: seq++ }))
    }
    const path = testInfo.outputPath('large.ndjson')
    await writeFile(path, `${copies.join('\n')}\n`)
    const events = copies.length - 1

    await openTab(page, 'sessions')
    await page.getByTestId('recording-open-input').setInputFiles(path)
    const loading = page.getByTestId('replay-loading')
    await expect(loading).toBeVisible()
    await expect(page.getByTestId('replay-banner')).toHaveAttribute('data-loading', 'true')
    await expect(page.getByTestId('replay-banner')).toHaveAttribute('data-loading', 'false', {
      timeout: 60_000
    })
    await expect(loading).toHaveCount(0)
    await expect(page.getByTestId('replay-position')).toHaveAttribute('data-total', String(events))
    await expect(page.getByTestId('replay-banner')).toHaveAttribute('data-shown-position', String(events))
    await expect(page.getByTestId('event-count')).toHaveAttribute('data-count', String(events))
    // Scrub into the middle: the views follow once its state is folded.
    const middle = Math.floor(events / 2)
    await page.getByTestId('replay-scrubber').fill(String(middle))
    await expect(page.getByTestId('replay-banner')).toHaveAttribute('data-shown-position', String(middle))
    await expect(page.getByTestId('event-count')).toHaveAttribute('data-count', String(middle))
  })

  test('a file with a bad line opens up to it and names it', async ({ page, inspector }) => {
    await openInspector(page, inspector.url)
    await openTab(page, 'sessions')
    await page.getByTestId('recording-open-input').setInputFiles({
      name: 'notes.ndjson',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(
        '{"kind":"phase_transition","seq":0,"ts":1,"from":null,"to":"idle"}\nnot json\n{}\n'
      )
    })
    await expect(page.getByTestId('replay-failure')).toHaveAttribute('data-line', '2')
    await expect(page.getByTestId('replay-failure')).toContainText('line 2: not JSON')
    await expect(page.getByTestId('replay-position')).toHaveAttribute('data-total', '1')
    await expect(page.getByTestId('event-count')).toHaveAttribute('data-count', '1')
  })
})

/** Exports the session and returns its event lines (the header dropped). */
async function exportedLines(page: Page, path: string): Promise<string[]> {
  await openTab(page, 'sessions')
  const download = page.waitForEvent('download')
  await page.getByTestId('recording-export-button').click()
  await (await download).saveAs(path)
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(1)
}
