import { SEED_TEXT } from '../errors'

const RUN_ID_PATTERN = /^run_(.+)_(\d+)_([0-9a-f]{8})$/

export type RunIdProblem = { code: 'run_id_format' | 'thread_id_mismatch'; message: string }

/** The checks behind seed 003's warnings: a run_id must look like run_<thread_id>_<n>_<hex8> and name its own thread. */
export function checkRunId(runId: string, threadId: string): RunIdProblem | null {
  const match = RUN_ID_PATTERN.exec(runId)
  if (!match) {
    return {
      code: 'run_id_format',
      message: `${SEED_TEXT.runIdFormat}: '${runId}' (expected run_<thread_id>_<n>_<hex8>)`
    }
  }
  if (match[1] !== threadId) {
    return {
      code: 'thread_id_mismatch',
      message: `${SEED_TEXT.threadMismatch}: run_id names '${match[1]}' but the context's thread_id is '${threadId}'`
    }
  }
  return null
}
