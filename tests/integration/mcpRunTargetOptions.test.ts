import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TargetReport } from '../../src/main/target/targetReport'
import { startSampleBackend } from '../fixtures/sampleBackend/sampleBackend'
import { connectMcpServer, type McpServerProcess } from '../helpers/mcpServerProcess'
import { runCli } from '../helpers/runCli'
import { EXAMPLE_PATH } from '../helpers/targetHarness'

type Summary = TargetReport & { exitCode: number }

/**
 * run_target's load shape and shard inputs, through the real `session-inspector mcp` spoken to by the SDK's own
 * client over stdio: the same rules as target's flags, worded with the tool's own input names.
 */
describe('run_target: group size, load shape, run id and shard', { timeout: 90_000 }, () => {
  const client = new Client({ name: 'mcp-run-target-test', version: '1.0.0' })
  let server: McpServerProcess

  beforeAll(async () => {
    server = await connectMcpServer(client)
  }, 60_000)

  afterAll(async () => {
    await client.close()
  })

  const call = async (
    args: Record<string, unknown>
  ): Promise<{ isError: boolean; text: string; value: Summary; progress: Progress[] }> => {
    const progress: Progress[] = []
    const result = (await client.callTool({ name: 'run_target', arguments: args }, undefined, {
      onprogress: (update) => progress.push(update),
      timeout: 80_000
    })) as CallToolResult
    const text = result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n')
    return {
      isError: result.isError === true,
      text,
      value: result.structuredContent as unknown as Summary,
      progress
    }
  }

  it('lists every input with the bounds of its flag', async () => {
    const { tools } = await client.listTools()
    const properties = tools.find((tool) => tool.name === 'run_target')?.inputSchema.properties ?? {}
    expect(Object.keys(properties).sort()).toEqual(
      [
        'arrival_rate',
        'connect_concurrency',
        'group_size',
        'ramp_up_ms',
        'run_id',
        'runs',
        'shard',
        'target',
        'think_time_ms',
        'url',
        'users'
      ].sort()
    )
    expect(properties.ramp_up_ms).toMatchObject({ type: 'integer', minimum: 0, maximum: 3_600_000 })
    expect(properties.arrival_rate).toMatchObject({ type: 'number', minimum: 0.01, maximum: 100_000 })
    expect(properties.connect_concurrency).toMatchObject({ type: 'integer', minimum: 1, maximum: 10_000 })
  })

  it("a sharded run answers with the shard's report, the one `target --shard` gives", async () => {
    const backend = await startSampleBackend({ bug: 'broadcast' })
    try {
      const url = `${backend.url}?room={{room}}`
      const answer = await call({
        target: EXAMPLE_PATH,
        users: 4,
        runs: 1,
        url,
        run_id: 'mcp-shards',
        shard: '1/2',
        think_time_ms: 0,
        connect_concurrency: 2
      })
      expect(answer.isError, answer.text).toBe(false)
      const shard = answer.value
      // Users 3 and 4 of the run's four, and only they: broadcast leaks between the two of them.
      expect(shard.users).toMatchObject({ requested: 2, connected: 2 })
      expect(shard.runs).toMatchObject({ requested: 2, finished: 2 })
      expect(shard.perUser.map((user) => user.user_id)).toEqual(['user_3', 'user_4'])
      expect(shard.exitCode).toBe(1)
      // Progress counts the shard's runs, not the whole run's.
      expect(answer.progress.at(-1)?.total).toBe(2)

      const cli = await runCli([
        'target',
        EXAMPLE_PATH,
        '--users',
        '4',
        '--runs',
        '1',
        '--url',
        url,
        '--run-id',
        'mcp-shards',
        '--shard',
        '1/2',
        '--json'
      ])
      const expected = JSON.parse(cli.stdout) as Summary
      const pairs = (report: Summary) => report.leaks.map((leak) => [leak.from, leak.to, leak.events])
      expect(pairs(shard)).toEqual(pairs(expected))
      expect(shard.perUser).toEqual(expected.perUser)
      expect(shard.exitCode).toBe(expected.exitCode)
    } finally {
      await backend.close()
    }
  })

  it('refuses what target refuses, as a tool error naming the inputs, never a stack', async () => {
    const base = { target: EXAMPLE_PATH, users: 2, runs: 1 }
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [
        { ramp_up_ms: 1_000, arrival_rate: 5 },
        /^run_target: ramp_up_ms and arrival_rate both say when users arrive; give one$/
      ],
      [
        { shard: '0/2' },
        /^run_target: shard needs run_id, the same for every shard, so that each derives every user's canary$/
      ],
      [{ shard: '2/2', run_id: 'r' }, /^run_target: shard: index 2 is past the last shard \(0 to 1\)$/],
      [
        { shard: '0/3', run_id: 'r' },
        /^run_target: shard: 3 shards for 2 user\(s\) leaves a shard with nobody$/
      ],
      [{ shard: '0/1001', run_id: 'r' }, /^run_target: shard: N must be 1 to 1000 \(got 1001\)$/],
      [{ shard: 'auto/2', run_id: 'r' }, /auto\/N \(I from JOB_COMPLETION_INDEX\) is for the CLI/],
      [{ run_id: 'has spaces' }, /expected 1-100 letters, digits or _\.:-/],
      [{ ramp_up_ms: -1 }, /must be at least 0/],
      [{ think_time_ms: 3_600_001 }, /must be at most 3600000/],
      [{ arrival_rate: 0.001 }, /must be at least 0\.01/],
      [{ connect_concurrency: 0 }, /must be at least 1/],
      [{ group_size: 0 }, /group_size/]
    ]
    for (const [extra, message] of cases) {
      const answer = await call({ ...base, ...extra })
      expect(answer.isError, JSON.stringify(extra)).toBe(true)
      expect(answer.text, JSON.stringify(extra)).toMatch(message)
      expect(answer.text).not.toMatch(/\bat .*:\d+:\d+\)?$/m)
    }
    expect(server.stderr()).not.toMatch(/run_target failed/)
  })
})
