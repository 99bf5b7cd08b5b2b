import type { TargetReport } from '../../../../shared/targetResult'
export type { RunTargetResult, TargetReport } from '../../../../shared/targetResult'

export type LeakPair = TargetReport['leaks'][number]
export type RunProblem = TargetReport['runProblems'][number]

export type Verdict = 'clean' | 'leak' | 'missing' | 'incomplete' | 'unknown'

/** The CLI's exit codes (docs/target-mode.md), most serious first. */
export const EXIT_MEANINGS: Record<number, { verdict: Verdict; title: string; meaning: string }> = {
  0: {
    verdict: 'clean',
    title: 'Clean',
    meaning: 'every event reached its own user, complete and in order, and every frame could be judged'
  },
  1: {
    verdict: 'leak',
    title: 'Leak',
    meaning: "an event whose owner ids name another user, or a frame carrying another user's canary"
  },
  3: {
    verdict: 'missing',
    title: 'Missing or out of order',
    meaning: 'a run missing events (or never seen at all), or its events out of order'
  },
  5: {
    verdict: 'incomplete',
    title: 'Incomplete',
    meaning:
      'a user could not connect, the run timeout passed, or frames could not be judged (not JSON, or owners unreadable: then runs never seen are not called missing)'
  }
}

export function exitMeaning(code: number): { verdict: Verdict; title: string; meaning: string } {
  return (
    EXIT_MEANINGS[code] ?? {
      verdict: 'unknown',
      title: `Exit ${code}`,
      meaning: 'an exit code this UI does not know'
    }
  )
}

/**
 * The fields a bad target file's message names: "target file: events.userId: Invalid input…", or one problem a
 * line after "target file:" when there are several.
 */
export function fieldsOfMessage(message: string): string[] {
  const fields: string[] = []
  for (const line of message.replace(/^target file:/, '').split('\n')) {
    const field = /^\s*([^\s:]+): /.exec(line)?.[1]
    if (field !== undefined) fields.push(field)
  }
  return fields
}

/** A run problem is out of order when nothing is missing, only the order is wrong. */
export function problemKind(problem: RunProblem): 'missing' | 'out_of_order' {
  return problem.missing.length > 0 ? 'missing' : 'out_of_order'
}

export function targetRecordingName(now: Date): string {
  return `target-${now.toISOString().replace(/[:.]/g, '-')}.ndjson`
}

/** What the replay banner calls a target run: its backend and size. */
export function targetReplayName(report: TargetReport): string {
  const users = report.users.requested
  const runs = users === 0 ? 0 : report.runs.requested / users
  return `target · ${users} users × ${runs} runs`
}

/** Users that failed with the same error, commonest first: a page every user got reads once. */
export function groupFailures(
  failed: TargetReport['users']['failed']
): Array<{ error: string; users: string[] }> {
  const groups = new Map<string, string[]>()
  for (const { user_id, error } of failed) groups.set(error, [...(groups.get(error) ?? []), user_id])
  return [...groups]
    .map(([error, users]) => ({ error, users }))
    .sort((a, b) => b.users.length - a.users.length)
}
