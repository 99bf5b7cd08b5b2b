import { afterEach, describe, expect, it } from 'vitest'
import { checkReply, type CommandResult } from '../../src/shared/commandResults'
import type { PushBytes } from '../../src/shared/inspectorApi'
import type { HostCommand } from '../../src/main/host/inspectorHost'
import { RuntimeHost } from '../../src/main/host/runtimeHost'

/** Run ids of every run_started the host pushed, in order. */
function runStartsIn(push: PushBytes): string[] {
  const parsed = JSON.parse(Buffer.from(push).toString('utf8')) as {
    type: string
    events?: Array<{ kind: string; context?: { run_id: string } }>
  }
  if (parsed.type !== 'events') return []
  return (parsed.events ?? []).filter((e) => e.kind === 'run_started').map((e) => e.context?.run_id ?? '')
}

describe('start_runs, against the real host', () => {
  let host: RuntimeHost | null = null
  afterEach(async () => {
    await host?.close()
    host = null
  })

  async function ask<C extends HostCommand>(command: C): Promise<CommandResult<C['cmd']>> {
    if (!host) throw new Error('no host')
    const reply = checkReply(command.cmd, await host.handle(command))
    if (!reply.ok) throw new Error(reply.error.message)
    return reply.result as CommandResult<C['cmd']>
  }

  it('answers only once every run has started: each run_started is pushed before the reply', async () => {
    host = await RuntimeHost.create({ stepDelayMs: 100, flushMs: 10_000 })
    const pushed: string[] = []
    host.subscribe((push) => pushed.push(...runStartsIn(push)))
    await ask({ cmd: 'add_users', count: 3 })

    const reply = await ask({ cmd: 'start_runs', runs: 4 })

    // Pushes wait up to flushMs (10 s here): only the host's flush before replying can have sent them already.
    expect(reply).toEqual({ started: 12, refused: [], not_reading: [] })
    expect(pushed).toHaveLength(12)
    expect(new Set(pushed).size).toBe(12)
  })

  it('reports each refused run with the runtime’s words, and answers a slow user’s runs without waiting on it', async () => {
    host = await RuntimeHost.create({ stepDelayMs: 0, faults: ['factory_keyword_mismatch'] })
    const added = await ask({ cmd: 'add_users', count: 2 })
    const [alice, bob] = added.connected.map((user) => user.user_id)

    const refused = await ask({ cmd: 'start_runs', runs: 3 })
    expect(refused.started).toBe(0)
    expect(refused.refused).toHaveLength(6)
    expect(refused.refused.filter((run) => run.user_id === alice)).toHaveLength(3)
    expect(refused.refused.every((run) => run.message.startsWith('TypeError: '))).toBe(true)

    await ask({ cmd: 'set_faults', faults: [] })
    const users = await ask({ cmd: 'add_users', count: 2 })
    const [carol, dave] = users.connected.map((user) => user.user_id)
    expect(bob).toBeDefined()
    await ask({ cmd: 'set_user_slow', user_id: carol!, slow: true })
    expect(await ask({ cmd: 'start_runs', runs: 2 })).toEqual({
      started: 2,
      refused: [],
      not_reading: [carol]
    })
    expect(await ask({ cmd: 'start_runs', runs: 1, user_id: dave! })).toEqual({
      started: 1,
      refused: [],
      not_reading: []
    })
  })

  it('reports runs whose user left before the runtime answered as refused, never hangs', async () => {
    host = await RuntimeHost.create({ stepDelayMs: 0 })
    const added = await ask({ cmd: 'add_users', count: 1 })
    const alice = added.connected[0]!.user_id
    const runs = ask({ cmd: 'start_runs', runs: 50 })
    const removed = ask({ cmd: 'remove_user', user_id: alice })
    const [answer] = await Promise.all([runs, removed])
    expect(answer.started + answer.refused.length).toBe(50)
  })
})
