import { ObservedSession } from '../../src/main/observe/observedSession'
import { parseUserRules } from '../../src/main/observe/userRules'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { Recorder } from '../../src/main/runtime/inspection/recorder'
import { connectChat, startObservedChat } from '../helpers/observedChat'
import { expect, lane, openInspector, openTab, test } from './support/fixtures'

/**
 * An observe recording opened in the app: a real two-user chat session with a broadcast bug is observed (a real
 * ws backend and clients, the real ObservedSession and Recorder), then the Sessions tab opens the recording and
 * the users view shows a lane per user, bob's red and naming alice as the owner of what reached him.
 */
test('an observe recording replays as a lane per user, the leak naming both users', async ({
  page,
  inspector
}, testInfo) => {
  const path = testInfo.outputPath('observe.ndjson')
  const bus = new InspectionBus()
  const recorder = new Recorder(bus, path, { includeHistory: true })
  const session = new ObservedSession({
    bus,
    rules: parseUserRules(['header:x-user']),
    ownerIds: ['/owner'],
    source: 'e2e'
  })
  const chat = await startObservedChat(session, { broadcastBug: true })
  try {
    const alice = await connectChat(chat.url, { headers: { 'x-user': 'alice' } })
    const bob = await connectChat(chat.url, { headers: { 'x-user': 'bob' } })
    alice.say('alice ticket 7731-QX')
    await bob.waitFor((text) => text.includes('7731-QX'))
    await alice.close()
    await bob.close()
  } finally {
    await chat.close()
    await recorder.close()
  }
  expect(session.summary().leaks.total).toBe(1)

  await openInspector(page, inspector.url)
  await openTab(page, 'sessions')
  await page.getByTestId('recording-open-input').setInputFiles(path)
  await expect(page.getByTestId('replay-banner')).toHaveAttribute('data-name', 'observe.ndjson')
  await openTab(page, 'users')
  await expect(lane(page, 'alice')).toBeVisible()
  await expect(lane(page, 'bob')).toHaveClass(/has-violations/)
  await expect(lane(page, 'alice')).not.toHaveClass(/has-violations/)
  const badge = page.getByTestId('lane-leak-bob')
  await expect(badge).toHaveAttribute('data-from', 'alice')
  await expect(badge).toContainText('leak from alice')
  // One frame, found both by its owner id and by alice's canary.
  await expect(badge).toHaveAttribute('data-count', '2')

  // Each received frame is a row in its receiver's lane: bob's is red and names alice, alice's own is not.
  await expect(lane(page, 'bob')).toHaveAttribute('data-received', '1')
  await expect(lane(page, 'alice')).toHaveAttribute('data-received', '1')
  await expect(lane(page, 'alice')).toHaveAttribute('data-sent', '1')
  await expect(lane(page, 'bob')).toHaveAttribute('data-sent', '0')
  const bobRows = lane(page, 'bob').getByTestId('lane-event')
  await expect(bobRows).toHaveCount(1)
  await expect(bobRows).toHaveAttribute('data-kind', 'frame')
  await expect(bobRows).toHaveAttribute('data-violation', 'true')
  await expect(bobRows).toHaveAttribute('data-owner', 'alice')
  await expect(bobRows).toHaveClass(/is-violation/)
  await expect(bobRows).toContainText('from alice')
  await expect(bobRows).toContainText('7731-QX')
  const aliceRows = lane(page, 'alice').getByTestId('lane-event')
  await expect(aliceRows).toHaveCount(1)
  await expect(aliceRows).toHaveAttribute('data-violation', 'false')
  // Her own frame: its owner id names her.
  await expect(aliceRows).toHaveAttribute('data-owner', 'alice')
  await expect(aliceRows).toContainText('7731-QX')
})
