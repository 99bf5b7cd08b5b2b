import { describe, expect, it } from 'vitest'
import { workerReportSchema } from '../../src/main/runtime/users/workerProtocol'

const batch = {
  latencies: Float64Array.of(0.5, 1.25),
  delivered: new Uint8Array(Buffer.from('"event_id":"e1""event_id":"e2"')),
  deliveredEnds: Uint32Array.of(15, 30),
  violationAt: Uint32Array.of(1),
  violations: [
    {
      event_id: 'e2',
      type: 'agent_started',
      run_id: 'run_1',
      owner_user_id: 'user_1',
      receiver_user_id: 'user_2'
    }
  ],
  runIds: ['run_1'],
  runSteps: ['0'],
  tallyUsers: ['user_1', 'user_2'],
  tallyCounts: Uint32Array.of(1, 0, 0, 1)
}

/** The message of the error parsing `bad` as a delivery batch throws (every issue, with its path). */
function refusal(bad: unknown): string {
  try {
    workerReportSchema.parse({ type: 'deliveries', batch: bad })
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('the batch was accepted')
}

describe('workerReportSchema', () => {
  it('accepts a judged batch, its arrays as they came', () => {
    const report = workerReportSchema.parse({ type: 'deliveries', batch })
    expect(report).toEqual({ type: 'deliveries', batch })
    expect(report.type === 'deliveries' && report.batch.latencies).toBe(batch.latencies)
  })

  it('accepts a count-mode batch: latencies and foreign indices only', () => {
    const counted = {
      ...batch,
      delivered: new Uint8Array(0),
      deliveredEnds: new Uint32Array(0),
      violations: [],
      runIds: [],
      runSteps: [],
      tallyUsers: [],
      tallyCounts: new Uint32Array(0)
    }
    expect(workerReportSchema.safeParse({ type: 'deliveries', batch: counted }).success).toBe(true)
  })

  it.each([
    ['a negative latency', { ...batch, latencies: Float64Array.of(-1, 1) }, 'latencies', /found -1/],
    ['a latency of NaN', { ...batch, latencies: Float64Array.of(0.5, NaN) }, 'latencies', /found NaN/],
    [
      'an infinite latency',
      { ...batch, latencies: Float64Array.of(Infinity, 1) },
      'latencies',
      /found Infinity/
    ],
    ['latencies as a plain array', { ...batch, latencies: [0.5, 1.25] }, 'latencies', /Float64Array/],
    ['ends as a plain array', { ...batch, deliveredEnds: [15, 30] }, 'deliveredEnds', /Uint32Array/],
    [
      'foreign indices as doubles',
      { ...batch, violationAt: Float64Array.of(1) },
      'violationAt',
      /Uint32Array/
    ],
    ['members given as strings', { ...batch, delivered: ['"event_id":"e1"'] }, 'delivered', /Uint8Array/],
    [
      'ends that stop short of the members',
      { ...batch, deliveredEnds: Uint32Array.of(15, 29) },
      'deliveredEnds',
      /cut/
    ],
    ['ends that go backwards', { ...batch, deliveredEnds: Uint32Array.of(16, 15) }, 'deliveredEnds', /cut/],
    [
      'an end for each but one delivery',
      { ...batch, deliveredEnds: Uint32Array.of(30) },
      'deliveredEnds',
      /cut/
    ],
    [
      'a foreign index past the deliveries',
      { ...batch, violationAt: Uint32Array.of(2) },
      'violationAt',
      /below/
    ],
    [
      'foreign indices out of order',
      { ...batch, violationAt: Uint32Array.of(1, 0), violations: [...batch.violations, ...batch.violations] },
      'violationAt',
      /ascend/
    ],
    ['a violation without its event', { ...batch, violations: [] }, 'violations', /one entry per/],
    ['a step that is not one of the five', { ...batch, runSteps: ['05'] }, 'runSteps', /Invalid string/],
    ['a run without its steps', { ...batch, runSteps: [] }, 'runSteps', /one entry per run id/],
    [
      'a tally short of a count',
      { ...batch, tallyCounts: Uint32Array.of(1, 0, 0) },
      'tallyCounts',
      /two counts/
    ],
    ['tallies as a plain array', { ...batch, tallyCounts: [1, 0, 0, 1] }, 'tallyCounts', /Uint32Array/],
    ['an extra member', { ...batch, extra: [] }, 'extra', /Unrecognized key/],
    ['a missing member', { ...batch, runIds: undefined }, 'runIds', /Invalid input/]
  ])('refuses %s, naming the field', (_name, bad, field, problem) => {
    const message = refusal(bad)
    expect(message).toContain(`"${field}"`)
    expect(message).toMatch(problem)
  })

  it('refuses a report with an unknown key', () => {
    expect(workerReportSchema.safeParse({ type: 'deliveries', batch, extra: 1 }).success).toBe(false)
  })

  it('parses the other reports', () => {
    expect(workerReportSchema.parse({ type: 'done', requestId: 3 })).toEqual({ type: 'done', requestId: 3 })
  })
})
