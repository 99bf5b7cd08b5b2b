import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readRecording } from '../../src/main/runtime/inspection/recordingReader'
import { runCli as cli } from '../helpers/runCli'

// Each case spawns a process; on a loaded two-core machine that alone can take seconds.
describe('session-inspector load', { timeout: 90_000 }, () => {
  it('exits 0 and prints the audit when every event reached its own user', async () => {
    const result = await cli(['load', '--users', '4', '--runs', '2'])
    expect(result.stderr).not.toContain('Error:')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('users:              4/4 connected')
    expect(result.stdout).toContain('events delivered:   40 (expected 40)')
    expect(result.stdout).toContain('violations:         0')
    expect(result.stdout).toMatch(/delivery latency:\s+p50 [\d.]+ ms, p99 [\d.]+ ms/)
  })

  it('exits 0 with users in a worker thread (50 or more), whose worker it then terminates', async () => {
    const result = await cli(['load', '--users', '60', '--runs', '1'])
    expect(result.stdout).not.toContain('simulated users:')
    expect(result.stdout).toContain('events delivered:   300 (expected 300)')
    expect(result.code).toBe(0)
  })

  it('exits 1 on a cross-user leak, and --json carries the per-user counts', async () => {
    const result = await cli([
      'load',
      '--users',
      '3',
      '--runs',
      '1',
      '--fault',
      'shared_singleton_manager',
      '--json'
    ])
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout) as {
      violations: number
      perUser: Array<{ foreign: number }>
      exitCode: number
    }
    expect(report.violations).toBe(30)
    expect(report.perUser.map((user) => user.foreign)).toEqual([10, 10, 10])
    expect(report.exitCode).toBe(1)
  })

  it('exits 3 when runs complete without their events, 4 when start-up fails', async () => {
    expect(
      (await cli(['load', '--users', '2', '--runs', '1', '--fault', 'missing_bridge_legacy'])).code
    ).toBe(3)
    const failed = await cli(['load', '--users', '2', '--runs', '1', '--fault', 'missing_bridge_fail_fast'])
    expect(failed.code).toBe(4)
    expect(failed.stdout).toContain('failed in CONFIGURATION: ExecutionEngineFactoryError')
  })

  it('records the whole stream as NDJSON with --record', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'si-cli-')), 'run.ndjson')
    expect((await cli(['load', '--users', '2', '--runs', '1', '--record', file])).code).toBe(0)
    const read = readRecording(readFileSync(file, 'utf8'))
    expect(read.ok).toBe(true)
    const kinds = read.ok ? read.events.map((event) => event.kind) : []
    expect(kinds[0]).toBe('phase_transition')
    expect(kinds.filter((kind) => kind === 'agent_event_delivered')).toHaveLength(10)
  })

  it.each([
    [['load', '--users', 'many', '--runs', '1'], '--users: expected a whole number'],
    [['load', '--users', '0', '--runs', '1'], '--users: must be at least 1'],
    [['load', '--users', '2', '--runs', '1', '--fault', 'gremlins'], '--fault'],
    [['load', '--users', '2', '--runs', '1', '--bogus'], "Unknown option '--bogus'"],
    [['load', '--runs', '1'], '--users'],
    [['frobnicate'], "unknown command 'frobnicate'"]
  ])('bad arguments %j: a clear message and exit 2', async (args, message) => {
    const result = await cli(args)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
  })
})
