import { readFile } from 'node:fs/promises'
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

    // Export: the download is the session's inspection stream, one JSON event a line.
    await openTab(page, 'sessions')
    const download = page.waitForEvent('download')
    await page.getByTestId('recording-export-button').click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^session-.*\.ndjson$/)
    const saved = testInfo.outputPath(file.suggestedFilename())
    await file.saveAs(saved)
    const lines = (await readFile(saved, 'utf8')).split('\n').filter((line) => line.trim() !== '')
    const kinds = lines.map((line) => (JSON.parse(line) as { kind: string }).kind)
    expect(kinds.filter((kind) => kind === 'isolation_violation')).toHaveLength(10)
    await expect(page.getByTestId('sessions-notice')).toContainText(`Saved ${lines.length} events`)

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

  test('a file that is not a recording is refused with the line that is wrong', async ({
    page,
    inspector
  }) => {
    await openInspector(page, inspector.url)
    await openTab(page, 'sessions')
    await page.getByTestId('recording-open-input').setInputFiles({
      name: 'notes.ndjson',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(
        '{"kind":"phase_transition","seq":0,"ts":1,"from":null,"to":"idle"}\nnot json\n{}\n'
      )
    })
    await expect(page.getByTestId('command-error')).toContainText('line 2')
    await expect(page.getByTestId('replay-banner')).toHaveCount(0)
  })
})
