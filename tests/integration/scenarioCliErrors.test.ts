import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runCli as cli } from '../helpers/runCli'

describe('output paths are checked before the work starts', { timeout: 90_000 }, () => {
  it('run --report into a missing directory exits 2 with a message, before any scenario runs', async () => {
    const result = await cli(['run', 'cross-user-leak', '--report', '/no/such/dir/x.md'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--report /no/such/dir/x.md: directory /no/such/dir does not exist')
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.stdout).toBe('')
  })

  it('run --report naming a directory exits 2', async () => {
    const result = await cli(['run', 'cross-user-leak', '--report', '/tmp'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--report /tmp: is a directory')
  })

  it('load --record into a missing directory exits 2 with a message, before the runtime starts', async () => {
    const result = await cli(['load', '--users', '2', '--runs', '1', '--record', '/no/such/dir/x.ndjson'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--record /no/such/dir/x.ndjson: directory /no/such/dir does not exist')
    expect(result.stderr).not.toContain('ERR_STREAM_DESTROYED')
    expect(result.stdout).toBe('')
    expect(existsSync('/no/such/dir')).toBe(false)
  })
})

describe('what load prints', { timeout: 90_000 }, () => {
  it('prints the warnings it saw (malformed_ids still exits 0)', async () => {
    const result = await cli(['load', '--users', '2', '--runs', '1', '--fault', 'malformed_ids'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/warnings:\s+8\n/)
    expect(result.stdout).toContain(
      '  deprecated_context_creation x4: Using deprecated create_user_execution_context - consider get_request_scoped_user_context'
    )
    expect(result.stdout).toMatch(/ {2}run_id_format x2: run_id does not follow expected format/)
    expect(result.stdout).toMatch(/ {2}thread_id_mismatch x2: Thread ID mismatch in run_id/)
  })

  it('names each leak by both users, and counts the shared manager closed when the runtime closes it', async () => {
    const result = await cli(['load', '--users', '3', '--runs', '1', '--fault', 'shared_singleton_manager'])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('violations:         30')
    const pairs = result.stdout.match(/^ {2}user_\S+'s events reached user_\S+: 5$/gm) ?? []
    expect(pairs).toHaveLength(6)
    expect(result.stdout).toContain('managers:           1 created, 1 closed')
  })
})

describe('help', { timeout: 90_000 }, () => {
  it('lists every flag of every command', async () => {
    const result = await cli(['help'])
    expect(result.code).toBe(0)
    const flags: Record<string, string[]> = {
      load: ['--users', '--runs', '--fault', '--seed', '--pool', '--record', '--json'],
      list: ['--json'],
      run: ['--mode', '--seed', '--json', '--report'],
      target: ['--users', '--runs', '--url', '--record', '--json'],
      serve: ['--port', '--seed', '--step-delay', '--static']
    }
    const lines = result.stdout.split('\n')
    for (const [command, expected] of Object.entries(flags)) {
      const usage = lines.find((line) => line.trimStart().startsWith(`${command} `))
      expect(usage, `no usage line for ${command}`).toBeDefined()
      for (const flag of expected) expect(usage, `${command} ${flag}`).toContain(flag)
    }
  })
})
