import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InspectionEvent } from '../../src/shared/inspection'
import { startSampleBackend } from '../fixtures/sampleBackend/sampleBackend'
import { connectMcpServer, type McpServerProcess } from '../helpers/mcpServerProcess'
import { runCli } from '../helpers/runCli'
import { EXAMPLE_PATH } from '../helpers/targetHarness'

const TOOLS = ['list_scenarios', 'read_recording', 'run_load', 'run_scenario', 'run_target']

/** The whole answer of a tool call: its texts, its structured value, whether it is an error. */
interface Answer {
  isError: boolean
  texts: string[]
  value: Record<string, unknown>
  progress: Progress[]
}

/**
 * The real command, `session-inspector mcp` as its bin starts it (tsx on the source, one process), spoken to by
 * the SDK's own client over stdio. The server's stderr is kept to show when a test fails.
 */
describe('session-inspector mcp', { timeout: 90_000 }, () => {
  const client = new Client({ name: 'mcp-server-test', version: '1.0.0' })
  let server: McpServerProcess
  let dir: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'si-mcp-'))
    server = await connectMcpServer(client)
  }, 60_000)

  afterAll(async () => {
    await client.close()
    rmSync(dir, { recursive: true, force: true })
    expect(
      server.clientErrors.map((error) => error.message),
      server.stderr()
    ).toEqual([])
  })

  const call = async (name: string, args: Record<string, unknown>): Promise<Answer> => {
    const progress: Progress[] = []
    const result = (await client.callTool({ name, arguments: args }, undefined, {
      onprogress: (update) => progress.push(update),
      timeout: 80_000
    })) as CallToolResult
    const texts = result.content.map((block) => (block.type === 'text' ? block.text : `(${block.type})`))
    if (result.isError !== true && result.structuredContent === undefined)
      throw new Error(`${name}: no structured content; stderr:\n${server.stderr()}`)
    return { isError: result.isError === true, texts, value: result.structuredContent ?? {}, progress }
  }

  it('lists its five tools, each with an input schema', async () => {
    const { tools } = await client.listTools()
    expect(tools.map((tool) => tool.name).sort()).toEqual(TOOLS)
    const load = tools.find((tool) => tool.name === 'run_load')
    expect(load?.inputSchema.required).toEqual(['users', 'runs'])
    expect(load?.inputSchema.properties?.users).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 20_000
    })
  })

  it('list_scenarios gives the built-in scenarios as `list --json` does', async () => {
    const answer = await call('list_scenarios', {})
    expect(answer.isError).toBe(false)
    const listed = JSON.parse((await runCli(['list', '--json'])).stdout) as unknown
    expect(answer.value).toEqual(listed)
    expect(JSON.parse(answer.texts[0] as string)).toEqual(listed)
  })

  it('run_scenario replays a listed scenario: verdict, whys with the steps that prove them, the report, progress per run', async () => {
    const listed = await call('list_scenarios', {})
    const scenarios = listed.value.scenarios as Array<{ id: string; whys: string[] }>
    const scenario = scenarios.find((candidate) => candidate.id === 'cross-user-leak') ?? scenarios[0]
    const answer = await call('run_scenario', { id: scenario?.id, mode: 'both' })
    expect(answer.isError).toBe(false)
    const value = answer.value as {
      verdict: { ok: boolean; reproduced: boolean; fixed: boolean }
      exitCode: number
      runs: Array<{ run: string; held: boolean }>
      whys: Array<{ question: string; run: string; seq: number | null; evidence: InspectionEvent | null }>
    }
    expect(value.verdict).toMatchObject({ ok: true, reproduced: true, fixed: true })
    expect(value.exitCode).toBe(0)
    expect(value.whys.map((why) => why.question)).toEqual(scenario?.whys)
    for (const why of value.whys) {
      expect(why.seq).not.toBeNull()
      expect(why.evidence?.seq).toBe(why.seq)
    }
    const markdown = answer.texts[1] as string
    expect(markdown.startsWith('# ')).toBe(true)
    expect(markdown).toContain('```mermaid')
    // One notification per finished run but the last: the answer itself says that one finished.
    const runs = value.runs.length
    expect(answer.progress[0]).toMatchObject({ progress: 1, total: runs })
    for (const update of answer.progress) expect(update.progress).toBeLessThan(runs)
  })

  it('run_scenario replays a scenario file, one mode only; a broken file is refused field by field', async () => {
    const fixture = (name: string): string =>
      new URL(`../fixtures/scenarios/${name}`, import.meta.url).pathname
    const answer = await call('run_scenario', {
      file: fixture('foreign-context-at-connect.json'),
      mode: 'failure',
      seed: 3
    })
    expect(answer.isError, answer.texts[0]).toBe(false)
    expect(answer.value).toMatchObject({
      scenario: { builtin: false },
      mode: 'failure',
      seed: 3,
      verdict: { reproduced: true, fixed: null },
      exitCode: 0
    })
    expect((answer.value.runs as Array<{ mode: string }>).map((run) => run.mode)).not.toContain('fixed')
    expect(answer.texts[1]).toContain('Seed 3, mode failure')

    const broken = await call('run_scenario', { file: fixture('broken.json') })
    expect(broken.isError).toBe(true)
    expect(broken.texts[0]).toMatch(/^run_scenario: .*broken\.json: (a problem|\d+ problems)\n {2}at /)
  })

  it('run_load gives the summary `load --json` prints, and progress as runs complete', async () => {
    const answer = await call('run_load', { users: 2, runs: 1 })
    expect(answer.isError).toBe(false)
    expect(answer.value).toMatchObject({
      exitCode: 0,
      violations: 0,
      leaks: [],
      users: { requested: 2, connected: 2 },
      runs: { requested: 2, completed: 2 },
      events: { delivered: 10, expectedDeliveries: 10 }
    })
    expect(answer.progress).toEqual([{ progress: 1, total: 2, message: '1 of 2 runs completed' }])
  })

  it('run_load finds the leak a shared singleton manager makes, naming owner and receiver', async () => {
    const answer = await call('run_load', { users: 2, runs: 1, faults: ['shared_singleton_manager'] })
    const value = answer.value as {
      exitCode: number
      violations: number
      leaks: Array<Record<string, unknown>>
    }
    expect(value.exitCode).toBe(1)
    expect(value.violations).toBe(10)
    expect(value.leaks).toHaveLength(2)
    for (const leak of value.leaks) expect(leak.owner).not.toBe(leak.receiver)
  })

  it('run_target audits the sample backend: clean when correct, each leak named when it broadcasts', async () => {
    for (const [bug, exitCode] of [
      [null, 0],
      ['broadcast', 1]
    ] as const) {
      const backend = await startSampleBackend({ bug })
      try {
        const answer = await call('run_target', {
          target: EXAMPLE_PATH,
          users: 2,
          runs: 1,
          url: `${backend.url}?room={{room}}`
        })
        expect(answer.isError, answer.texts[0]).toBe(false)
        const value = answer.value as {
          exitCode: number
          runs: { finished: number }
          leaks: Array<{ from: string; to: string }>
        }
        expect(value.exitCode).toBe(exitCode)
        expect(value.runs.finished).toBe(2)
        expect(value.leaks.map((leak) => `${leak.from}->${leak.to}`)).toEqual(
          bug === null ? [] : ['user_1->user_2', 'user_2->user_1']
        )
        expect(answer.progress).toEqual([{ progress: 1, total: 2, message: '1 of 2 runs ended' }])
      } finally {
        await backend.close()
      }
    }
  })

  it('answers bad input with tool errors that say what is wrong, and keeps serving', async () => {
    // 2 MiB without a newline: refused at the line limit rather than held whole.
    const oneLine = join(dir, 'one-line.ndjson')
    writeFileSync(oneLine, 'x'.repeat(2 * 1024 * 1024))
    const har = join(dir, 'session.har')
    writeFileSync(har, JSON.stringify({ log: { version: '1.2', entries: [] } }, null, 2))
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['run_load', { users: 0, runs: 1 }, /users/],
      ['run_load', { users: 2, runs: 1, faults: ['no_such_fault'] }, /faults/],
      ['run_scenario', {}, /give exactly one of id .* or file/],
      [
        'run_scenario',
        { id: 'no-such-scenario' },
        /no built-in scenario 'no-such-scenario'. Built-in: .*cross-user-leak/
      ],
      ['run_scenario', { file: join(dir, 'missing.json') }, /cannot be read/],
      ['run_target', { target: join(dir, 'missing.target.json'), users: 1, runs: 1 }, /run_target: /],
      [
        'run_target',
        { target: EXAMPLE_PATH, users: 2, runs: 1, group_size: 2 },
        /no users\.shareKey to group/
      ],
      ['read_recording', { path: join(dir, 'nothing-here.ndjson') }, /no file at /],
      ['read_recording', { path: 'package.json' }, /package\.json is not a recording: line 1/],
      ['read_recording', { path: dir }, /is not a file/],
      [
        'read_recording',
        { path: har },
        /session\.har is not a recording: line 1: .*; a HAR file is audited with session-inspector observe --har FILE/
      ],
      ['read_recording', { path: oneLine }, /is not a recording: it has a line longer than 1048576 bytes/],
      ['read_recording', { path: 'x', limit: 5_000 }, /limit/]
    ]
    for (const [tool, args, message] of cases) {
      const answer = await call(tool, args)
      expect(answer.isError, `${tool} ${JSON.stringify(args)}`).toBe(true)
      expect(answer.texts.join('\n')).toMatch(message)
      expect(answer.texts.join('\n')).not.toMatch(/\bat .*:\d+:\d+\)?$/m)
    }
    expect((await client.listTools()).tools).toHaveLength(TOOLS.length)
  })

  it('read_recording reads back what `load --record` wrote: counts, leaks, and the events the filter asks for', async () => {
    const path = join(dir, 'leak.ndjson')
    const load = await runCli([
      'load',
      '--users',
      '3',
      '--runs',
      '1',
      '--fault',
      'shared_singleton_manager',
      '--record',
      path,
      '--json'
    ])
    expect(load.code).toBe(1)
    const loaded = JSON.parse(load.stdout) as {
      violations: number
      leaks: Array<{ owner: string; receiver: string; count: number }>
    }
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n')

    const leaks = await call('read_recording', { path, violations_only: true, limit: 4 })
    const value = leaks.value as {
      version: number
      events: number
      violations: number
      matched: number
      shown: InspectionEvent[]
      leaks: Array<{ from: string; to: string; events: number }>
      byKind: Record<string, number>
      tornLastLine: boolean
      stoppedAt: unknown
    }
    expect(value).toMatchObject({
      version: 2,
      events: lines.length - 1,
      tornLastLine: false,
      stoppedAt: null
    })
    expect(value.violations).toBe(loaded.violations)
    expect(value.matched).toBe(loaded.violations)
    expect(value.shown).toHaveLength(4)
    for (const event of value.shown) expect(event.kind).toBe('isolation_violation')
    const pairs = (list: Array<[string, string, number]>) => list.map((pair) => pair.join(' ')).sort()
    expect(pairs(value.leaks.map((leak) => [leak.from, leak.to, leak.events]))).toEqual(
      pairs(loaded.leaks.map((leak) => [leak.owner, leak.receiver, leak.count]))
    )

    const owner = loaded.leaks[0]?.owner as string
    const mine = await call('read_recording', {
      path,
      kinds: ['run_completed', 'run_started'],
      user_id: owner
    })
    const shown = (mine.value as { shown: InspectionEvent[] }).shown
    expect(shown.map((event) => event.kind)).toEqual(['run_started', 'run_completed'])
    expect(shown[1]).toMatchObject({ kind: 'run_completed', user_id: owner })

    // Cut the way a killed recorder leaves it: the complete events count, the tear is reported.
    appendFileSync(path, '{"kind":"agent_event_deliv')
    const torn = await call('read_recording', { path, limit: 0 })
    expect(torn.value).toMatchObject({ events: lines.length - 1, tornLastLine: true, shown: [] })

    const broken = join(dir, 'broken.ndjson')
    writeFileSync(broken, `${lines.slice(0, 5).join('\n')}\n{"kind":"nope"}\n${lines.slice(5).join('\n')}\n`)
    const stopped = await call('read_recording', { path: broken })
    expect(stopped.value).toMatchObject({ events: 4, stoppedAt: { line: 6 } })
  })

  it('read_recording sends progress as it reads a file of more than one piece (bytes of the file)', async () => {
    const path = join(dir, 'progress.ndjson')
    const load = await runCli(['load', '--users', '20', '--runs', '40', '--record', path])
    expect(load.code).toBe(0)
    const size = statSync(path).size
    expect(size).toBeGreaterThan(2 * 1024 * 1024)
    const answer = await call('read_recording', { path, limit: 0 })
    expect(answer.value).toMatchObject({ bytes: size, stoppedAt: null })
    expect(answer.progress.length).toBeGreaterThan(0)
    for (const update of answer.progress) {
      expect(update.total).toBe(size)
      expect(update.progress).toBeLessThan(size)
    }
  })
})
