import { describe, expect, it } from 'vitest'
import { parseWorkerReport, workerReportSchema } from '../../src/main/runtime/users/workerProtocol'

const batch = {
  latencies: [0.5, 1.25],
  delivered: new Uint8Array(Buffer.from('"event_id":"e1""event_id":"e2"')),
  deliveredEnds: [15, 30],
  violationAt: [1],
  violations: [
    {
      event_id: 'e2',
      type: 'agent_started',
      run_id: 'run_1',
      owner_user_id: 'user_1',
      receiver_user_id: 'user_2'
    }
  ],
  runs: [['run_1', '0']],
  tallies: [
    ['user_1', 1, 1, 0],
    ['user_2', 1, 0, 1]
  ]
}

describe('parseWorkerReport', () => {
  it('accepts a judged batch exactly as the zod schema does', () => {
    const raw = { type: 'deliveries', batch }
    expect(parseWorkerReport(raw)).toEqual(workerReportSchema.parse(raw))
  })

  it.each([
    ['a negative latency', { ...batch, latencies: [-1, 1] }],
    ['a latency that is not a number', { ...batch, latencies: ['1', 1] }],
    ['an infinite latency', { ...batch, latencies: [Infinity, 1] }],
    ['a fractional violation index', { ...batch, violationAt: [0.5] }],
    ['a step that is not one of the five', { ...batch, runs: [['run_1', '05']] }],
    ['a short tally', { ...batch, tallies: [['user_1', 1, 1]] }],
    ['members given as strings', { ...batch, delivered: ['"event_id":"e1"', '"event_id":"e2"'] }],
    ['ends that stop short of the members', { ...batch, deliveredEnds: [15, 29] }],
    ['ends that go backwards', { ...batch, deliveredEnds: [16, 15] }],
    ['an end for each but one delivery', { ...batch, deliveredEnds: [30] }],
    ['an extra member', { ...batch, extra: [] }],
    ['a missing member', { ...batch, runs: undefined }]
  ])('rejects %s with the zod error', (_name, bad) => {
    const raw = { type: 'deliveries', batch: bad }
    expect(() => parseWorkerReport(raw)).toThrow()
    expect(workerReportSchema.safeParse(raw).success).toBe(false)
  })

  it('rejects a report with an unknown key', () => {
    expect(() => parseWorkerReport({ type: 'deliveries', batch, extra: 1 })).toThrow()
  })

  it('parses rare reports through the schema', () => {
    expect(parseWorkerReport({ type: 'done', requestId: 3 })).toEqual({ type: 'done', requestId: 3 })
  })
})
