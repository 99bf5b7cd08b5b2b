import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { LOAD_EXIT } from '../../src/main/runtime/load/runLoad'
import { CliUsageError } from '../../src/main/cli/cliError'
import { mergeCommand } from '../../src/main/cli/mergeCommand'
import { targetSummary, type TargetSummary } from '../../src/main/cli/targetSummary'
import type { TargetReport } from '../../src/main/target/targetReport'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { prepareTarget } from '../../src/main/target/prepareTarget'
import { runTarget } from '../../src/main/target/runTarget'
import { runNonce, shardSlice } from '../../src/main/target/shard'
import type { LoadShape } from '../../src/shared/targetFile'
import { startChatBackend, type ChatBug } from '../fixtures/chatBackend/chatBackend'
import { startSampleBackend } from '../fixtures/sampleBackend/sampleBackend'
import { exampleTarget } from '../helpers/targetHarness'
import { BY_REQUEST, chatTargetJson } from '../helpers/chatTarget'
import { runCli, type CliOutcome } from '../helpers/runCli'

const dir = mkdtempSync(join(tmpdir(), 'si-shards-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const writeTarget = (name: string, json: Record<string, unknown>): string => {
  const path = join(dir, name)
  writeFileSync(path, JSON.stringify(json))
  return path
}
const chatFile = writeTarget('chat.target.json', chatTargetJson({ events: BY_REQUEST }))
const report = (outcome: CliOutcome): TargetReport & { exitCode: number } =>
  JSON.parse(outcome.stdout) as TargetReport & { exitCode: number }

/** One run of all four users against a fresh backend with `bug`, as `target --json` reports it. */
async function singleRun(bug: ChatBug | null): Promise<TargetSummary> {
  const backend = await startChatBackend({ bug })
  try {
    return await targetSummary(chatFile, { users: 4, runs: 1, url: `${backend.url}?token={{token}}` })
  } finally {
    await backend.close()
  }
}

/** Shards of the same four users (as `target --shard I/2 --run-id ID --record`), one after the other. */
async function shards(
  bug: ChatBug | null,
  runId: string,
  indices = [0, 1],
  file = chatFile
): Promise<string[]> {
  const backend = await startChatBackend({ bug })
  const recordings = indices.map((index) => join(dir, `${runId}-${index}-${indices.length}.ndjson`))
  try {
    for (const [at, record] of recordings.entries()) {
      const shard = await targetSummary(file, {
        users: 4,
        runs: 1,
        url: `${backend.url}?token={{token}}`,
        runId,
        shard: { index: indices[at] as number, count: 2 },
        record
      })
      expect(shard.users.requested).toBe(2)
    }
  } finally {
    await backend.close()
  }
  return recordings
}

describe('target --shard and merge', { timeout: 120_000 }, () => {
  it('a leak between users of different shards is caught, and the merge judges as one run of all users', async () => {
    // cross_talk quotes the previous question, whoever asked: shard 1's first answer carries a shard 0 user's canary.
    const recordings = await shards('cross_talk', 'talk-1')
    const merged = await runCli(['merge', ...recordings, '--json'])
    const single = await singleRun('cross_talk')
    expect(merged.code).toBe(LOAD_EXIT.violation)
    expect(merged.code).toBe(single.exitCode)
    const all = report(merged)
    expect(all.exitCode).toBe(LOAD_EXIT.violation)
    expect(all.users).toMatchObject({ requested: 4, connected: 4 })
    expect(all.runs).toEqual(single.runs)
    expect(all.canaryLeaks).toBe(single.canaryLeaks)
    expect(all.violations).toBe(0)
    const crossShard = all.leaks.filter(
      (leak) => ['user_1', 'user_2'].includes(leak.from) && ['user_3', 'user_4'].includes(leak.to)
    )
    expect(crossShard).toHaveLength(1)
    expect(all.verdict).toMatch(/^LEAK between/)
    const text = await runCli(['merge', ...recordings])
    expect(text.code).toBe(LOAD_EXIT.violation)
    expect(text.stdout).toMatch(/^merged: +2 shard\(s\) of run talk-1$/m)
  })

  it('a correct backend merges clean, with every run of every shard', async () => {
    const recordings = await shards(null, 'clean-1')
    const merged = await runCli(['merge', ...recordings, '--json'])
    const single = await singleRun(null)
    expect(merged.code).toBe(LOAD_EXIT.clean)
    expect(single.exitCode).toBe(LOAD_EXIT.clean)
    const all = report(merged)
    expect(all.runs).toEqual({ requested: 4, finished: 4, unseen: 0 })
    expect(all.frames).toMatchObject({ events: single.frames.events, ownerUnreadable: 0 })
    expect(all.perUser.map((user) => user.user_id)).toEqual(['user_1', 'user_2', 'user_3', 'user_4'])
  })

  it("a shard judges other shards' users' events as leaks, and leaves their runs to their own shard", async () => {
    const backend = await startSampleBackend({ bug: 'broadcast' })
    try {
      const file = exampleTarget((json) => {
        delete json.heartbeat
        json.timeouts = { connectMs: 5_000, runMs: 20_000, settleMs: 100 }
      })
      const url = `${backend.url}?room={{room}}`
      const users = prepareTarget('example', file, { users: 4, url, nonce: runNonce('overlap') })
      const shard = (index: number, load: LoadShape) => {
        const bus = new InspectionBus()
        const slice = shardSlice(index, 2, users.length)
        const done = runTarget(file, users, {
          runs: 3,
          bus,
          url,
          load,
          active: users.slice(slice.from - 1, slice.to)
        })
        return { bus, done }
      }
      // Shard 0 stays connected for its three runs, a second apart; shard 1 runs while it is there.
      const first = shard(0, { connectConcurrency: 200, thinkTimeMs: 1_000 })
      await new Promise<void>((resolve) => {
        let connected = 0
        first.bus.subscribeKinds(['user_connected'], () => ++connected === 2 && resolve())
      })
      const second = shard(1, { connectConcurrency: 200 })
      const reports = [await first.done, await second.done]
      const [zero, one] = reports as [TargetReport, TargetReport]
      expect(zero.leaks.some((leak) => leak.from === 'user_3' && leak.to === 'user_1')).toBe(true)
      expect(one.leaks.some((leak) => leak.from === 'user_1' && leak.to === 'user_3')).toBe(true)
      for (const report of reports) {
        expect(report.runs).toEqual({ requested: 6, finished: 6, unseen: 0 })
        // The other shard's runs seen here are leaks, not runs of this shard missing their events.
        expect(report.runProblems).toEqual([])
        expect(report.runsWithMissingEvents).toBe(0)
      }
    } finally {
      await backend.close()
    }
  })

  it('refuses what it cannot merge with exit 2, naming the file and what is wrong', async () => {
    const [first, second] = await shards(null, 'bad-a')
    const other = writeTarget('other.target.json', {
      ...chatTargetJson({ events: BY_REQUEST }),
      description: 'x'
    })
    const [otherFile] = await shards(null, 'bad-a', [1], other)
    const [otherRun] = await shards(null, 'bad-b', [1])
    const notRecording = writeTarget('not-a-recording.ndjson', { hello: 'world' })
    const refusal = async (paths: string[]): Promise<string> => {
      const error = await mergeCommand(paths, () => {}).then(
        () => null,
        (thrown: unknown) => thrown
      )
      expect(error).toBeInstanceOf(CliUsageError)
      return (error as CliUsageError).message
    }
    expect(await refusal([first as string])).toMatch(/run 'bad-a' has 2 shards; missing 1\/2/)
    expect(await refusal([first as string, otherRun as string])).toMatch(
      /run id 'bad-b', but .* is of run 'bad-a'/
    )
    // The same run id with another file: only the file's hash tells them apart.
    expect(await refusal([first as string, otherFile as string])).toMatch(/another target file/)
    expect(await refusal([first as string, notRecording])).toMatch(/not-a-recording\.ndjson: not a recording/)
    expect(await refusal([first as string, first as string, second as string])).toMatch(/shard 0\/2 is also/)
    expect(await refusal([])).toMatch(/merge: give the shards' recordings/)
    expect(await refusal([join(dir, 'nowhere.ndjson')])).toMatch(/nowhere\.ndjson: cannot read it \(ENOENT\)/)
    const unfinished = join(dir, 'unfinished.ndjson')
    const lines = readFileSync(second as string, 'utf8').split('\n')
    writeFileSync(unfinished, lines.filter((line) => !line.includes('"target_finished"')).join('\n'))
    expect(await refusal([first as string, unfinished])).toMatch(
      /unfinished\.ndjson: shard 1\/2 has no target_finished: the shard did not finish/
    )
    // Through the CLI: exit 2, the message, no stack trace.
    const missing = await runCli(['merge', first as string])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/missing 1\/2/)
    expect(missing.stderr).not.toMatch(/\n\s+at /)
  })

  it('--shard needs a run id; auto reads JOB_COMPLETION_INDEX', async () => {
    const noRunId = await runCli(['target', chatFile, '--users', '4', '--runs', '1', '--shard', '0/2'])
    expect(noRunId.code).toBe(2)
    expect(noRunId.stderr).toMatch(/--shard needs --run-id/)
    const noIndex = await runCli(
      ['target', chatFile, '--users', '4', '--runs', '1', '--shard', 'auto/2', '--run-id', 'k'],
      { env: { ...process.env, JOB_COMPLETION_INDEX: undefined } }
    )
    expect(noIndex.code).toBe(2)
    expect(noIndex.stderr).toMatch(/JOB_COMPLETION_INDEX is not set/)
    const backend = await startChatBackend()
    try {
      const auto = await runCli(
        [
          'target',
          chatFile,
          '--users',
          '4',
          '--runs',
          '1',
          '--url',
          `${backend.url}?token={{token}}`,
          '--shard',
          'auto/2',
          '--run-id',
          'k',
          '--json'
        ],
        { env: { ...process.env, JOB_COMPLETION_INDEX: '1' } }
      )
      expect(auto.code).toBe(LOAD_EXIT.clean)
      expect(report(auto).perUser.map((user) => user.user_id)).toEqual(['user_3', 'user_4'])
    } finally {
      await backend.close()
    }
  })
})
