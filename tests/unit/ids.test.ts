import { describe, expect, it } from 'vitest'
import { checkRunId } from '../../src/main/runtime/ids/runIdFormat'
import { UnifiedIdGenerator } from '../../src/main/runtime/ids/unifiedIdGenerator'

describe('UnifiedIdGenerator', () => {
  it('gives the same ids for the same seed and different ids for another seed', () => {
    const take = (seed: number) => {
      const ids = new UnifiedIdGenerator(seed)
      return [ids.userId(), ids.threadId(), ids.requestId(), ids.uuid4()]
    }
    expect(take(7)).toEqual(take(7))
    expect(take(7)).not.toEqual(take(8))
  })

  it('embeds the thread id in every run id, and the format passes its own check', () => {
    const ids = new UnifiedIdGenerator(3)
    const thread = ids.threadId()
    const run = ids.runId(thread)
    expect(run.startsWith(`run_${thread}_`)).toBe(true)
    expect(checkRunId(run, thread)).toBeNull()
  })
})

describe('checkRunId (seed 003 warnings)', () => {
  it('flags a uuid4 run id as not following the expected format', () => {
    const problem = checkRunId('6d010770-feac-4771-a48c-a60a7d213b2e', 'thread_1_aaaaaaaa')
    expect(problem?.code).toBe('run_id_format')
    expect(problem?.message).toContain('run_id does not follow expected format')
  })

  it('flags a run id that names another thread', () => {
    const ids = new UnifiedIdGenerator(1)
    const own = ids.threadId()
    const other = ids.threadId()
    const problem = checkRunId(ids.runId(other), own)
    expect(problem?.code).toBe('thread_id_mismatch')
    expect(problem?.message).toContain('Thread ID mismatch in run_id')
    expect(problem?.message).toContain(other)
  })
})
