import { describe, expect, it } from 'vitest'
import { parseWorkerReport, workerReportSchema } from '../../src/main/runtime/users/workerProtocol'

const tuple = ['user_1', 'conn_2', 'evt_3', 'agent_started', 'user_1', 'run_4', 10.5, 11.25]

describe('parseWorkerReport', () => {
  it('accepts a delivery batch exactly as the zod schema does', () => {
    const raw = { type: 'deliveries', batch: [tuple, tuple] }
    expect(parseWorkerReport(raw)).toEqual(workerReportSchema.parse(raw))
  })

  it.each([
    ['a short tuple', { type: 'deliveries', batch: [tuple.slice(0, 7)] }],
    [
      'an unknown event type',
      { type: 'deliveries', batch: [[...tuple.slice(0, 3), 'agent_slept', ...tuple.slice(4)]] }
    ],
    ['a string timestamp', { type: 'deliveries', batch: [[...tuple.slice(0, 7), '11']] }],
    ['an extra key', { type: 'deliveries', batch: [tuple], extra: 1 }],
    ['no batch', { type: 'deliveries' }]
  ])('rejects %s with the zod error', (_name, raw) => {
    expect(() => parseWorkerReport(raw)).toThrow()
    expect(workerReportSchema.safeParse(raw).success).toBe(false)
  })

  it('parses rare reports through the schema', () => {
    expect(parseWorkerReport({ type: 'done', requestId: 3 })).toEqual({ type: 'done', requestId: 3 })
  })
})
