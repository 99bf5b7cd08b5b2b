import { describe, expect, it } from 'vitest'
import { commandReplySchema } from '../../src/shared/controlFrames'
import { helloResultSchema } from '../../src/shared/inspectorApi'
import { answerIpcCommand } from '../../src/main/host/ipc/answerIpcCommand'
import type { InspectorHost } from '../../src/main/host/inspectorHost'
import { startWebServer } from '../../src/main/host/web'
import { serveRuntimeHost } from './webSupport/servedRuntimeHost'
import { connect } from './webSupport/wsClient'

const served = serveRuntimeHost()

/** hello as the Electron transport answers it (the IPC handler's body, without Electron). */
async function helloOverIpc(): Promise<unknown> {
  return JSON.parse(await answerIpcCommand(served.host, { cmd: 'hello' }, true, () => {}))
}

describe('hello, over either transport', () => {
  it('is written from the bus lines and is the same over the control channel and IPC, history and all', async () => {
    await served.host.handle({ cmd: 'set_faults', faults: ['shared_singleton_manager'] })
    await served.host.handle({ cmd: 'add_users', count: 3 })
    await served.host.handle({ cmd: 'start_runs', runs: 2 })
    // Every run delivered (3 users x 2 runs x 5 events, each to all three users under the singleton).
    await expect
      .poll(async () => {
        const reply = commandReplySchema.parse(await helloOverIpc())
        const hello = helloResultSchema.parse(reply.ok ? reply.result : null)
        return hello.history.filter((event) => event.kind === 'agent_event_delivered').length
      })
      .toBe(90)

    const outcome = await connect(`ws://127.0.0.1:${served.web.port}/control?token=${served.web.token}`, {
      origin: `http://127.0.0.1:${served.web.port}`
    })
    if (outcome.kind !== 'open') throw new Error(`expected an open socket, got ${JSON.stringify(outcome)}`)
    const client = outcome.client
    client.sendRaw(JSON.stringify({ id: 41, command: { cmd: 'hello' } }))
    const frame = await client.reply(41)
    const direct = commandReplySchema.parse(await helloOverIpc())
    expect(frame).toEqual({ id: 41, reply: direct })
    const hello = helloResultSchema.parse(direct.ok ? direct.result : null)
    expect(hello.faults).toEqual(['shared_singleton_manager'])
    expect(hello.history.filter((event) => event.kind === 'isolation_violation')).toHaveLength(60)
    client.close()
  })

  it('is sent as the host writes it, without asking handle()', async () => {
    const textHost: InspectorHost = {
      handle: () => Promise.reject(new Error('handle() must not be asked for hello')),
      subscribe: () => () => {},
      helloText: () => '{"marker":"written by the host","history":[{"seq":0}]}'
    }
    const server = await startWebServer({ host: textHost, staticDir: served.staticRoot.root, log: () => {} })
    try {
      const outcome = await connect(`ws://127.0.0.1:${server.port}/control?token=${server.token}`, {
        origin: `http://127.0.0.1:${server.port}`
      })
      if (outcome.kind !== 'open') throw new Error(`expected an open socket, got ${JSON.stringify(outcome)}`)
      outcome.client.sendRaw(JSON.stringify({ id: 5, command: { cmd: 'hello' } }))
      expect(await outcome.client.reply(5)).toEqual({
        id: 5,
        reply: { ok: true, result: { marker: 'written by the host', history: [{ seq: 0 }] } }
      })
      outcome.client.close()
    } finally {
      await server.close()
    }
  })
})
