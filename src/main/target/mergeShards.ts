import { openAsBlob } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { InspectionEventOf } from '../../shared/inspection'
import { readLines } from '../../shared/lineReader'
import { checkRecordingLine } from '../../shared/recordingFormat'
import { targetExitCode, type LeakPair, type TargetReport } from './targetReport'
import { targetVerdict } from './targetVerdict'

/** A shard's recording, read: where it came from, its target_started and its target_finished. */
export interface ShardRecording {
  path: string
  started: InspectionEventOf<'target_started'> & {
    shard: NonNullable<InspectionEventOf<'target_started'>['shard']>
  }
  finished: InspectionEventOf<'target_finished'>
}

/** Recordings that cannot be merged: every problem names the file and what to do. Exit 2. */
export class MergeInputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? (problems[0] as string) : `\n  ${problems.join('\n  ')}`)
  }
}

const SHOWN_STEP_FAILURES = 100
const DISTINCT_PROBLEMS = 10

/** How much of a recording is read at a time: a shard's recording of 10,000 users is never held whole. */
const READ_CHUNK_BYTES = 1024 * 1024

/**
 * Reads one shard's recording, streaming: the header (or first event) is checked, and of the rest only its
 * target_started and its last target_finished are kept (and checked whole). A problem (not a recording, not a
 * shard, unfinished) is thrown, naming the file.
 */
export async function readShardRecording(path: string): Promise<ShardRecording> {
  // openAsBlob says only "Unable to open file as blob": stat says why.
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => error.code ?? error.message)
  if (typeof info === 'string' || !info.isFile())
    throw new MergeInputError([`${path}: cannot read it (${typeof info === 'string' ? info : 'not a file'})`])
  const blob = await openAsBlob(path)
  let first = true
  let lineNumber = 0
  let started: InspectionEventOf<'target_started'> | undefined
  let finished: InspectionEventOf<'target_finished'> | undefined
  for await (const batch of readLines(blob, READ_CHUNK_BYTES)) {
    for (const [index, text] of batch.texts.entries()) {
      lineNumber += 1
      if (text.trim() === '') continue
      const wanted = first || (started === undefined && text.includes('"target_started"'))
      if (!wanted && !text.includes('"target_finished"')) continue
      const line = checkRecordingLine(text, first)
      first = false
      if (line.kind === 'bad') {
        // A torn last line (the shard was killed mid-write) leaves what came before it readable.
        if (line.notJson && batch.unterminatedLast && index === batch.texts.length - 1) break
        throw new MergeInputError([
          `${path}: not a recording (line ${lineNumber}: ${line.problem}); give the files target --record wrote`
        ])
      }
      if (line.kind !== 'event') continue
      if (line.event.kind === 'target_started') started ??= line.event
      else if (line.event.kind === 'target_finished') finished = line.event
    }
  }
  if (first) throw new MergeInputError([`${path}: empty; give the files target --record wrote`])
  if (started === undefined)
    throw new MergeInputError([`${path}: not a target run's recording (no target_started event)`])
  if (started.shard === undefined)
    throw new MergeInputError([
      `${path}: a target run that was not a shard; record each shard with target --shard I/N --run-id ID --record FILE`
    ])
  if (!finished)
    throw new MergeInputError([
      `${path}: shard ${started.shard.index}/${started.shard.count} has no target_finished: the shard did not finish (stopped or killed?); run it again`
    ])
  return { path, started: { ...started, shard: started.shard }, finished }
}

/**
 * Audits the shards of one run together: they must be of the same run id, target file, users and runs, and every
 * shard 0..N-1 must be there exactly once. Each shard already judged every frame its users received against every
 * user of the run (all canaries and ids derive from the run id), so the merged report is the union of the shards'
 * reports, and the verdict and exit code are judged again on it.
 */
export function mergeShards(recordings: readonly ShardRecording[]): TargetReport & { exitCode: number } {
  checkSameRun(recordings)
  const reports = [...recordings]
    .sort((a, b) => a.started.shard.index - b.started.shard.index)
    .map((recording): TargetReport => recording.finished.report)
  const sum = (pick: (report: TargetReport) => number): number =>
    reports.reduce((total, report) => total + pick(report), 0)
  const merged: TargetReport = {
    url: reports[0]?.url ?? '',
    users: {
      requested: sum((r) => r.users.requested),
      connected: sum((r) => r.users.connected),
      failed: reports.flatMap((r) => r.users.failed),
      closedByServer: reports.flatMap((r) => r.users.closedByServer)
    },
    runs: {
      requested: sum((r) => r.runs.requested),
      finished: sum((r) => r.runs.finished),
      unseen: sum((r) => r.runs.unseen)
    },
    stepFailures: {
      runs: sum((r) => r.stepFailures.runs),
      shown: reports.flatMap((r) => r.stepFailures.shown).slice(0, SHOWN_STEP_FAILURES)
    },
    frames: {
      received: sum((r) => r.frames.received),
      events: sum((r) => r.frames.events),
      unparsed: sum((r) => r.frames.unparsed),
      ownerUnreadable: sum((r) => r.frames.ownerUnreadable),
      ignored: sum((r) => r.frames.ignored),
      serverErrors: sum((r) => r.frames.serverErrors),
      otherTypes: addCounts(reports.map((r) => r.frames.otherTypes)),
      problems: mergeProblems(reports)
    },
    perUser: reports.flatMap((r) => r.perUser),
    violations: sum((r) => r.violations),
    canaryLeaks: sum((r) => r.canaryLeaks),
    leaks: mergeLeaks(reports.flatMap((r) => r.leaks)),
    runsWithMissingEvents: sum((r) => r.runsWithMissingEvents),
    runsOutOfOrder: sum((r) => r.runsOutOfOrder),
    runProblems: reports.flatMap((r) => r.runProblems),
    unseenRuns: addCounts(reports.map((r) => r.unseenRuns)),
    // Percentiles do not add up: the slowest shard's are the merged run's bound.
    latencyMs: {
      p50: maxOf(reports.map((r) => r.latencyMs.p50)),
      p99: maxOf(reports.map((r) => r.latencyMs.p99))
    },
    timedOut: reports.some((r) => r.timedOut),
    elapsedMs: Math.max(0, ...reports.map((r) => r.elapsedMs)),
    verdict: ''
  }
  const exitCode = targetExitCode(merged)
  merged.verdict = targetVerdict(merged, exitCode)
  return { ...merged, exitCode }
}

function checkSameRun(recordings: readonly ShardRecording[]): void {
  const first = recordings[0]
  if (!first) throw new MergeInputError(["no recordings given; give every shard's --record file"])
  const problems: string[] = []
  const { run_id: runId, count, users_total: users, file_sha256: file } = first.started.shard
  for (const { path, started } of recordings.slice(1)) {
    const shard = started.shard
    if (shard.run_id !== runId)
      problems.push(`${path}: run id '${shard.run_id}', but ${first.path} is of run '${runId}'`)
    else if (shard.file_sha256 !== file)
      problems.push(
        `${path}: another target file than ${first.path} (SHA-256 differs); shards must run the same file`
      )
    else if (shard.count !== count || shard.users_total !== users || started.runs !== first.started.runs)
      problems.push(
        `${path}: shard of ${shard.count} for ${shard.users_total} users x ${started.runs} runs, but ${first.path} is of ${count} for ${users} x ${first.started.runs}`
      )
  }
  if (problems.length > 0) throw new MergeInputError(problems)
  const seen = new Map<number, string>()
  for (const { path, started } of recordings) {
    const twin = seen.get(started.shard.index)
    if (twin !== undefined)
      problems.push(`${path}: shard ${started.shard.index}/${count} is also ${twin}; give each shard once`)
    seen.set(started.shard.index, path)
  }
  const missing = Array.from({ length: count }, (_, index) => index).filter((index) => !seen.has(index))
  if (missing.length > 0)
    problems.push(
      `run '${runId}' has ${count} shards; missing ${missing.map((index) => `${index}/${count}`).join(', ')}: give every shard's recording (or run the missing ones)`
    )
  if (problems.length > 0) throw new MergeInputError(problems)
}

function addCounts(maps: ReadonlyArray<Readonly<Record<string, number>>>): Record<string, number> {
  const total: Record<string, number> = {}
  for (const map of maps)
    for (const [key, count] of Object.entries(map)) total[key] = (total[key] ?? 0) + count
  return total
}

function mergeLeaks(leaks: readonly LeakPair[]): LeakPair[] {
  const pairs = new Map<string, LeakPair>()
  for (const leak of leaks) {
    const key = `${leak.from}\u0000${leak.to}`
    const known = pairs.get(key)
    if (known) {
      known.events += leak.events
      known.canaryFrames += leak.canaryFrames
    } else
      pairs.set(key, { from: leak.from, to: leak.to, events: leak.events, canaryFrames: leak.canaryFrames })
  }
  return [...pairs.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to))
}

function mergeProblems(reports: readonly TargetReport[]): TargetReport['frames']['problems'] {
  const problems = new Map<string, { problem: string; count: number; users: Set<string> }>()
  for (const { problem, count, users } of reports.flatMap((r) => r.frames.problems)) {
    const known = problems.get(problem)
    if (known) {
      known.count += count
      for (const user of users) known.users.add(user)
    } else if (problems.size < DISTINCT_PROBLEMS)
      problems.set(problem, { problem, count, users: new Set(users) })
  }
  return [...problems.values()].map(({ problem, count, users }) => ({ problem, count, users: [...users] }))
}

function maxOf(values: ReadonlyArray<number | null>): number | null {
  const known = values.filter((value): value is number => value !== null)
  return known.length === 0 ? null : Math.max(...known)
}
