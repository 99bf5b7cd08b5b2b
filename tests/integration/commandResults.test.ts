import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { answerCommand } from '../../src/main/host/answerCommand'
import { RuntimeHost } from '../../src/main/host/runtimeHost'
import { checkReply, commandResultSchemas } from '../../src/shared/commandResults'
import type { Command, CommandName } from '../../src/shared/inspectorApi'
import { startObserveBackend } from '../fixtures/observeBackend/observeBackend'
import { startSampleBackend } from '../fixtures/sampleBackend/sampleBackend'
import { EXAMPLE_PATH } from '../helpers/targetHarness'

let host: RuntimeHost
beforeAll(async () => {
  host = await RuntimeHost.create({ stepDelayMs: 0 })
})
afterAll(async () => {
  await host.close()
})

/** What a transport hands the renderer: the reply's JSON text, parsed, then checked against its command's schema. */
async function ask<C extends Command>(command: C) {
  const raw = JSON.parse(await answerCommand(host, command)) as Parameters<typeof checkReply>[1]
  const checked = checkReply<C['cmd']>(command.cmd, raw)
  if (!checked.ok) throw new Error(`${command.cmd}: ${checked.error.message}`)
  return checked.result
}

describe('every command answers in the shape its schema pins down', () => {
  it('live-session commands, from hello to a removed user', async () => {
    const asked = new Set<CommandName>()
    const note = <C extends Command>(command: C) => {
      asked.add(command.cmd)
      return ask(command)
    }
    expect((await note({ cmd: 'hello' })).faults).toEqual([])
    expect((await note({ cmd: 'set_faults', faults: ['malformed_ids'] })).startup.state).toBe('ready')
    expect((await note({ cmd: 'restart_startup' })).startup.state).toBe('ready')
    const added = await note({ cmd: 'add_users', count: 2 })
    expect(added.connected).toHaveLength(2)
    const alice = added.connected[0]!.user_id
    expect(await note({ cmd: 'start_runs', runs: 1 })).toEqual({ started: 2, refused: [], not_reading: [] })
    expect(await note({ cmd: 'set_user_slow', user_id: alice, slow: true })).toEqual({
      user_id: alice,
      slow: true
    })
    expect(await note({ cmd: 'remove_user', user_id: alice })).toEqual({ removed: alice })
    expect((await note({ cmd: 'recording_export' })).events).toBeGreaterThan(0)
    const listed = await note({ cmd: 'list_scenarios' })
    const id = listed.scenarios[0]!.id
    expect((await note({ cmd: 'run_scenario', id, mode: 'failure' })).scenario.id).toBe(id)
    expect((await note({ cmd: 'scenario_report', id })).markdown).toContain('#')

    const backend = await startSampleBackend()
    try {
      const target = await note({
        cmd: 'run_target',
        target: readFileSync(EXAMPLE_PATH, 'utf8'),
        users: 2,
        runs: 1,
        url: `${backend.url}?room={{room}}`
      })
      expect(target.exitCode).toBe(0)
    } finally {
      await backend.close()
    }
    const observed = await startObserveBackend()
    try {
      const started = await note({ cmd: 'observe_start', upstream: observed.url, user_from: ['cookie:user'] })
      expect(started.upstream).toBe(`ws://127.0.0.1:${observed.port}`)
      expect((await note({ cmd: 'observe_status' })).running?.url).toBe(started.url)
      expect((await note({ cmd: 'observe_stop' })).exitCode).toBe(0)
    } finally {
      await observed.close()
    }
    const scanned = await note({ cmd: 'scan_folder', path: 'tests/fixtures/scan/report000' })
    expect(scanned.report.findings).toHaveLength(1)
    expect(scanned.chains[0]?.[0]).toBe(
      'test_agents_execute_decorator.py → agents_execute.py → agent_service.py → agent_service_factory.py:14'
    )
    expect(scanned.replay?.runs[0]?.startup.failedPhase).toBe('initialization')
    expect([...asked].sort()).toEqual(Object.keys(commandResultSchemas).sort())
  }, 120_000)

  it('turns a result of another shape into an error naming the command and where it differs', () => {
    expect(checkReply('start_runs', { ok: true, result: { started: 'many' } })).toEqual({
      ok: false,
      error: { message: expect.stringMatching(/^Malformed reply to start_runs at 'started': /) }
    })
    expect(checkReply('remove_user', { ok: false, error: { message: 'no user' } })).toEqual({
      ok: false,
      error: { message: 'no user' }
    })
  })
})
