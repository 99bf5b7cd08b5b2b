import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RuntimeHost } from '../../src/main/host/runtimeHost'
import { LOAD_EXIT } from '../../src/main/runtime/load/runLoad'
import { commandSchema, type CommandReply } from '../../src/shared/inspectorApi'
import type { TargetReport } from '../../src/shared/targetResult'
import { startChatBackend, type ChatBackend } from '../fixtures/chatBackend/chatBackend'
import { EXAMPLE_PATH } from '../helpers/targetHarness'

/** The bundled ownerless chat example: users share a room in pairs (users.shareKey.groupSize 2). */
const CHAT_EXAMPLE = new URL('../../examples/ownerless-chat.target.json', import.meta.url).pathname

/** The example as the app would send it, with a shorter run timeout: a run whose answers leaked never ends. */
function chatExampleText(): string {
  const json = JSON.parse(readFileSync(CHAT_EXAMPLE, 'utf8')) as Record<string, unknown>
  return JSON.stringify({ ...json, timeouts: { connectMs: 2_000, runMs: 1_500, settleMs: 100 } })
}

const resultOf = (reply: CommandReply): { report: TargetReport; exitCode: number } => {
  if (!reply.ok) throw new Error(reply.error.message)
  return reply.result as { report: TargetReport; exitCode: number }
}

describe("the app's target run with a group size (run_target's group_size, as --group-size)", () => {
  let backend: ChatBackend
  let host: RuntimeHost
  beforeAll(async () => {
    // room_cache: a room's manager answers on the connection of whoever asked first in the room.
    backend = await startChatBackend({ bug: 'room_cache' })
    host = await RuntimeHost.create({ stepDelayMs: 0, flushMs: 10 })
  })
  afterAll(async () => {
    await host.close()
    await backend.close()
  })

  const run = (groupSize: number): Promise<CommandReply> =>
    host.handle({
      cmd: 'run_target',
      target: chatExampleText(),
      users: 4,
      runs: 1,
      url: `${backend.url}?token={{token}}`,
      group_size: groupSize
    })

  it('a manager cached per room leaks with groups of 2 and is clean with groups of 1, from the same file', async () => {
    const pairs = resultOf(await run(2))
    expect(pairs.exitCode).toBe(LOAD_EXIT.violation)
    // In each room the first asker's connection gets the other user's answers: users 1 with 2, 3 with 4.
    expect(pairs.report.leaks).toHaveLength(2)
    for (const leak of pairs.report.leaks) {
      const [from, to] = [leak.from, leak.to].map((user) => Number(String(user).replace('user_', '')))
      expect(from).not.toBe(to)
      expect(Math.ceil((from ?? 0) / 2)).toBe(Math.ceil((to ?? 0) / 2))
    }

    const alone = resultOf(await run(1))
    expect(alone.exitCode).toBe(LOAD_EXIT.clean)
    expect(alone.report.leaks).toEqual([])
  })

  it('refuses a group size for a file without users.shareKey with the CLI message, before connecting', async () => {
    const reply = await host.handle({
      cmd: 'run_target',
      target: readFileSync(EXAMPLE_PATH, 'utf8'),
      users: 2,
      runs: 1,
      url: 'ws://127.0.0.1:1/ws',
      group_size: 2
    })
    expect(reply).toEqual({
      ok: false,
      error: {
        message:
          'target file: --group-size: the target file has no users.shareKey to group; add e.g. "shareKey": {"var": "room", "groupSize": 2} to users',
        path: 'target'
      }
    })
  })

  it('takes the CLI flag bounds, 1 to 10000', () => {
    const command = { cmd: 'run_target', target: '{}', users: 1, runs: 1 }
    for (const groupSize of [0, 10_001, 1.5])
      expect(commandSchema.safeParse({ ...command, group_size: groupSize }).success).toBe(false)
    for (const groupSize of [1, 10_000])
      expect(commandSchema.safeParse({ ...command, group_size: groupSize }).success).toBe(true)
  })
})
