import { describe, expect, it } from 'vitest'
import { IsolationAuditor } from '../../src/main/runtime/audit/isolationAuditor'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'

const context = (run: string) => ({ user_id: 'alice', thread_id: 't', run_id: run, request_id: 'q' })
const delivered = (run: string, type: 'agent_started' | 'agent_thinking') => ({
  event_id: `${run}-${type}`,
  type,
  user_id: 'alice',
  run_id: run,
  emitted_at: performance.now()
})

describe('IsolationAuditor grace period', () => {
  it('judges a completed run once its grace has passed, without finalize, and only then', async () => {
    const bus = new InspectionBus()
    const auditor = new IsolationAuditor(bus, { missingGraceMs: 150 })
    for (const run of ['r1', 'r2']) {
      bus.emit({ kind: 'run_started', context: context(run) })
      auditor.recordDelivery(
        { user_id: 'alice', connection_id: 'c' },
        delivered(run, 'agent_started'),
        performance.now()
      )
      bus.emit({ kind: 'run_completed', run_id: run, user_id: 'alice', emitted: 5 })
    }
    const missing = () => bus.snapshot().filter((event) => event.kind === 'events_missing')
    await new Promise((resolve) => setTimeout(resolve, 40))
    expect(missing()).toEqual([])
    // a late delivery inside the grace still counts
    auditor.recordDelivery(
      { user_id: 'alice', connection_id: 'c' },
      delivered('r1', 'agent_thinking'),
      performance.now()
    )
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(
      missing().map((event) => event.kind === 'events_missing' && [event.run_id, event.received])
    ).toEqual([
      ['r1', ['agent_started', 'agent_thinking']],
      ['r2', ['agent_started']]
    ])
    expect(auditor.runsWithMissingEvents).toBe(2)
    auditor.close()
  })
})
