import { describe, expect, it } from 'vitest'
import { RecordingDigest, SHOWN_LEAK_PAIRS, TRACKED_LEAK_PAIRS } from '../../src/main/mcp/recordingDigest'
import { inspectionEventSchema, type InspectionEvent } from '../../src/shared/inspection'

let seq = 0
/** Events as a recording holds them: checked by the schema, so a test cannot feed a shape no file could have. */
const event = (fields: Record<string, unknown>): InspectionEvent =>
  inspectionEventSchema.parse({ seq: seq++, ts: 1_000 + seq, ...fields })
const violation = (owner: string, receiver: string) =>
  event({
    kind: 'isolation_violation',
    event_id: `e${seq}`,
    type: 'agent_started',
    run_id: 'run_1',
    owner_user_id: owner,
    receiver_user_id: receiver
  })
const canary = (owner: string, receiver: string) =>
  event({
    kind: 'canary_leak',
    canary_user_id: owner,
    receiver_user_id: receiver,
    frame_type: 'tool_executing',
    run_id: null,
    excerpt: '{}'
  })
const observed = (owner: string, receiver: string, by: 'owner_id' | 'canary') =>
  event({
    kind: 'observed_leak',
    connection_id: 'c1',
    by,
    owner_user_id: owner,
    receiver_user_id: receiver,
    pointer: by === 'owner_id' ? '/owner/user' : null,
    canary: by === 'canary' ? 'marker-1234' : null,
    excerpt: '{}'
  })
const runStarted = (user: string) =>
  event({
    kind: 'run_started',
    context: { user_id: user, thread_id: 'thread_1', run_id: 'run_1', request_id: 'req_1' }
  })

describe('RecordingDigest', () => {
  it('counts leaks of load, target and observe recordings by pair: ids as events, canaries as frames', () => {
    const digest = new RecordingDigest({ violationsOnly: false, limit: 0 })
    for (const leak of [
      violation('alice', 'bob'),
      violation('alice', 'bob'),
      canary('alice', 'bob'),
      observed('bob', 'alice', 'owner_id'),
      observed('bob', 'alice', 'canary'),
      runStarted('alice')
    ])
      digest.add(leak)
    const summary = digest.summary()
    expect(summary).toMatchObject({
      events: 6,
      violations: 2,
      canaryLeaks: 1,
      observedLeaks: 2,
      leakPairs: 2
    })
    expect(summary.byKind).toEqual({
      isolation_violation: 2,
      canary_leak: 1,
      observed_leak: 2,
      run_started: 1
    })
    expect(summary.leaks).toEqual([
      { from: 'alice', to: 'bob', events: 2, canaryFrames: 1 },
      { from: 'bob', to: 'alice', events: 1, canaryFrames: 1 }
    ])
    expect(summary.shown).toEqual([])
  })

  it('keeps the first `limit` events that pass every filter given, and counts all that do', () => {
    const digest = new RecordingDigest({
      violationsOnly: false,
      limit: 2,
      kinds: ['run_started'],
      userId: 'bob'
    })
    const bobs = [runStarted('bob'), runStarted('bob'), runStarted('bob')]
    for (const next of [runStarted('alice'), bobs[0], violation('bob', 'alice'), bobs[1], bobs[2]])
      digest.add(next as InspectionEvent)
    expect(digest.summary()).toMatchObject({ matched: 3, shown: bobs.slice(0, 2) })

    const leaksOnly = new RecordingDigest({ violationsOnly: true, limit: 10, userId: 'carol' })
    for (const next of [violation('alice', 'carol'), runStarted('carol'), observed('carol', 'bob', 'canary')])
      leaksOnly.add(next)
    expect(leaksOnly.summary().shown.map((shown) => shown.kind)).toEqual([
      'isolation_violation',
      'observed_leak'
    ])
  })

  it('tracks a bounded number of pairs: leaks of any further pair are counted, not kept', () => {
    const digest = new RecordingDigest({ violationsOnly: true, limit: 0 })
    for (let user = 0; user <= TRACKED_LEAK_PAIRS; user++) digest.add(violation(`owner_${user}`, 'receiver'))
    digest.add(violation('owner_0', 'receiver'))
    const summary = digest.summary()
    expect(summary.violations).toBe(TRACKED_LEAK_PAIRS + 2)
    expect(summary.leakPairs).toBe(TRACKED_LEAK_PAIRS)
    expect(summary.leakEventsBeyondTrackedPairs).toBe(1)
    expect(summary.leaks).toHaveLength(SHOWN_LEAK_PAIRS)
    expect(summary.leaks[0]).toEqual({ from: 'owner_0', to: 'receiver', events: 2, canaryFrames: 0 })
  })
})
