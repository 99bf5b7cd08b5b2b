import { addUsers, expect, lane, openInspector, openTab, test } from './support/fixtures'

test.describe('slow and cut-off users', () => {
  test('a user made slow says so in its lane header until it is made fast again', async ({
    page,
    inspector
  }) => {
    await openInspector(page, inspector.url)
    const [slow, other] = await addUsers(page, 2)
    if (slow === undefined || other === undefined) throw new Error('expected two users')

    await page.getByTestId(`slow-user-${slow}`).click()
    await expect(page.getByTestId(`slow-user-${slow}`)).toHaveAttribute('data-slow', 'true')
    await expect(lane(page, slow)).toHaveAttribute('data-slow', 'true')
    await expect(page.getByTestId(`lane-slow-${slow}`)).toBeVisible()
    await expect(page.getByTestId(`lane-slow-${other}`)).toHaveCount(0)

    await page.getByTestId(`slow-user-${slow}`).click()
    await expect(lane(page, slow)).toHaveAttribute('data-slow', 'false')
    await expect(page.getByTestId(`lane-slow-${slow}`)).toHaveCount(0)
  })

  test('a user the runtime cut off is marked in its lane, with the close code', async ({
    page,
    inspector
  }) => {
    // Reaching the 4 MiB send-buffer bound live takes thousands of runs; a recording shows the same event.
    const context = (user: string): Record<string, string> => ({
      user_id: user,
      thread_id: `thread_${user}`,
      run_id: `run_thread_${user}_1`,
      request_id: `req_${user}`
    })
    const events = [
      { kind: 'user_connected', connection_id: 'conn_1', context: context('alice'), manager_id: 'mgr_1' },
      { kind: 'user_connected', connection_id: 'conn_2', context: context('bob'), manager_id: 'mgr_2' },
      {
        kind: 'user_cut_off',
        connection_id: 'conn_1',
        user_id: 'alice',
        code: 4008,
        reason: 'send buffer limit exceeded: client is not reading',
        buffered_bytes: 4_200_000
      },
      {
        kind: 'user_disconnected',
        connection_id: 'conn_1',
        user_id: 'alice',
        code: 4008,
        reason: 'send buffer limit exceeded: client is not reading'
      }
    ].map((event, seq) => JSON.stringify({ ...event, seq, ts: 1_000 + seq }))

    await openInspector(page, inspector.url)
    await openTab(page, 'sessions')
    await page.getByTestId('recording-open-input').setInputFiles({
      name: 'cut-off.ndjson',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(events.join('\n') + '\n')
    })
    await openTab(page, 'users')
    await expect(lane(page, 'alice')).toHaveAttribute('data-cut-off', 'true')
    await expect(lane(page, 'alice')).toHaveAttribute('data-connected', 'false')
    await expect(page.getByTestId('lane-cut-off-alice')).toHaveAttribute('data-code', '4008')
    await expect(page.getByTestId('lane-cut-off-alice')).toContainText('cut off')
    await expect(lane(page, 'bob')).toHaveAttribute('data-cut-off', 'false')

    // One event back, before the cut-off: not marked yet.
    await page.getByTestId('replay-back').click()
    await page.getByTestId('replay-back').click()
    await expect(lane(page, 'alice')).toHaveAttribute('data-cut-off', 'false')
  })
})
