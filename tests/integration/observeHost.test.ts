import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { checkReply } from '../../src/shared/commandResults'
import { pushSchema, type Command, type CommandReply } from '../../src/shared/inspectorApi'
import type { InspectionEvent } from '../../src/shared/inspection'
import { RuntimeHost } from '../../src/main/host/runtimeHost'
import { readRecording } from '../../src/main/runtime/inspection/recordingReader'
import { readFile } from 'node:fs/promises'
import { startObserveBackend, type ObserveBackend } from '../fixtures/observeBackend/observeBackend'

/** Observe mode through the real host both transports adapt: commands in, the inspection stream out as pushes. */
const cleanups: Array<() => Promise<unknown> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function setUp(): Promise<{ host: RuntimeHost; backend: ObserveBackend; pushed: InspectionEvent[] }> {
  const backend = await startObserveBackend({ broadcastBug: true })
  cleanups.push(() => backend.close())
  const host = await RuntimeHost.create({ stepDelayMs: 0, flushMs: 5 })
  cleanups.push(() => host.close())
  const pushed: InspectionEvent[] = []
  host.subscribe((bytes) => {
    const push = pushSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8')))
    if (push.type === 'events') pushed.push(...push.events)
  })
  return { host, backend, pushed }
}

function send<K extends Command['cmd']>(host: RuntimeHost, command: Extract<Command, { cmd: K }>) {
  return host
    .handle(command as Exclude<Command, { cmd: 'hello' }>)
    .then((reply: CommandReply) => checkReply(command.cmd as K, reply))
}

/** A real ws client through the relay, its user named by the `user` cookie the backend reads. */
async function user(url: string, name: string): Promise<{ socket: WebSocket; received: string[] }> {
  const socket = new WebSocket(`${url}/socket`, { headers: { cookie: `user=${name}` } })
  const received: string[] = []
  socket.on('message', (data) => received.push(String(data)))
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  cleanups.push(() => socket.terminate())
  return { socket, received }
}

describe('observe from the app (observe_start, observe_status, observe_stop)', () => {
  it('relays two real users, pushes the leak live naming both, and stops with the summary', async () => {
    const { host, backend, pushed } = await setUp()
    const started = await send(host, {
      cmd: 'observe_start',
      upstream: backend.url,
      user_from: ['header:x-user', 'cookie:user'],
      owner_ids: ['/user_id']
    })
    if (!started.ok) throw new Error(started.error.message)
    expect(started.result.url).toBe(`ws://127.0.0.1:${started.result.port}`)
    expect(started.result.upstream).toBe(`ws://127.0.0.1:${backend.port}`)

    const alice = await user(started.result.url, 'alice')
    const bob = await user(started.result.url, 'bob')
    alice.socket.send(JSON.stringify({ type: 'say', text: 'hello from alice' }))
    await expect.poll(() => bob.received.some((text) => text.includes('hello from alice'))).toBe(true)

    // Live: the leak arrives as a push while both users are still connected.
    await expect
      .poll(() => pushed.find((event) => event.kind === 'observed_leak'))
      .toMatchObject({ owner_user_id: 'alice', receiver_user_id: 'bob', by: 'owner_id', pointer: '/user_id' })
    const connections = pushed.filter((event) => event.kind === 'observed_connection')
    expect(connections.map((event) => [event.user_id, event.rule])).toEqual([
      ['alice', 'cookie:user'],
      ['bob', 'cookie:user']
    ])
    expect(pushed.find((event) => event.kind === 'observe_started')).toMatchObject({
      rules: ['header:x-user', 'cookie:user'],
      owner_ids: ['/user_id']
    })

    const status = await send(host, { cmd: 'observe_status' })
    if (!status.ok) throw new Error(status.error.message)
    expect(status.result.running).toMatchObject({ url: started.result.url, ownerIds: ['/user_id'] })
    expect(status.result.running?.soFar.summary.connections.open).toBe(2)
    expect(status.result.last).toBeNull()

    const again = await send(host, {
      cmd: 'observe_start',
      upstream: backend.url,
      user_from: ['cookie:user']
    })
    expect(again).toEqual({
      ok: false,
      error: { message: `Already observing ws://127.0.0.1:${backend.port}; stop it first (observe_stop).` }
    })

    const stopped = await send(host, { cmd: 'observe_stop' })
    if (!stopped.ok) throw new Error(stopped.error.message)
    expect(stopped.result.exitCode).toBe(1)
    expect(stopped.result.summary.leaks.byOwnerId).toEqual([
      { owner: 'alice', receiver: 'bob', pointer: '/user_id', frames: 1 }
    ])
    expect(stopped.result.summary.users.map((u) => u.user_id)).toEqual(['alice', 'bob'])
    expect(stopped.result.relay).toMatchObject({ connections: 2, open: 0 })
    // The relay is gone: nothing listens on its port any more.
    await expect(user(started.result.url, 'carol')).rejects.toThrow(/ECONNREFUSED/)
    await expect
      .poll(() => pushed.filter((event) => event.kind === 'observed_closed').map((event) => event.closed_by))
      .toEqual(['proxy', 'proxy'])

    const after = await send(host, { cmd: 'observe_status' })
    expect(after.ok && after.result).toMatchObject({ running: null, last: { endedBy: 'stop', exitCode: 1 } })
    expect(await send(host, { cmd: 'observe_stop' })).toEqual({
      ok: false,
      error: { message: 'Nothing is being observed; start with observe_start.' }
    })

    // The session's recording (what the Sessions tab exports) holds the observation too.
    const recorded = await host.exportRecording()
    const read = readRecording(await readFile(recorded.path, 'utf8'))
    if (!read.ok) throw new Error(read.problem)
    const kinds = new Set(read.events.map((event) => event.kind))
    for (const kind of [
      'observe_started',
      'observed_connection',
      'observed_frame',
      'observed_leak',
      'observed_closed'
    ])
      expect(kinds).toContain(kind)
  })

  it('canaries: false judges by owner ids only, as --no-canaries', async () => {
    const { host, backend } = await setUp()
    const started = await send(host, {
      cmd: 'observe_start',
      upstream: backend.url,
      user_from: ['cookie:user'],
      owner_ids: ['/user_id'],
      canaries: false
    })
    if (!started.ok) throw new Error(started.error.message)
    const alice = await user(started.result.url, 'alice')
    const bob = await user(started.result.url, 'bob')
    alice.socket.send(JSON.stringify({ type: 'say', text: 'meet me at the old harbour at dawn' }))
    await expect.poll(() => bob.received.some((text) => text.includes('old harbour'))).toBe(true)
    const stopped = await send(host, { cmd: 'observe_stop' })
    if (!stopped.ok) throw new Error(stopped.error.message)
    expect(stopped.result.summary.leaks.byOwnerId).toHaveLength(1)
    expect(stopped.result.summary.leaks.byCanary).toEqual([])
    expect(stopped.result.summary.canaries.learned).toBe(0)
  })

  it('refuses bad input with a clear error naming the field', async () => {
    const { host, backend } = await setUp()
    const start = (fields: Partial<Extract<Command, { cmd: 'observe_start' }>>) =>
      send(host, { cmd: 'observe_start', upstream: backend.url, user_from: ['cookie:user'], ...fields })

    expect(await start({ user_from: ['cookie:user', 'head:x'] })).toEqual({
      ok: false,
      error: {
        message:
          'Invalid user_from rule at "1": \'head:x\' is not header:NAME, cookie:NAME or query:NAME; a rule is one of header:NAME, cookie:NAME, query:NAME, jwt:CLAIM@header:NAME (or @cookie:NAME, @query:NAME) or json:/pointer@first-message. See docs/observe-mode.md, Attribution rules.',
        path: 'user_from.1'
      }
    })
    const none = await start({ user_from: [] })
    expect(none.ok === false && none.error.path).toBe('user_from')
    expect(await start({ upstream: 'wss://example.com' })).toMatchObject({
      ok: false,
      error: { path: 'upstream', message: expect.stringContaining('wss:// upstreams are not supported') }
    })

    const closed = await freePort()
    expect(await start({ upstream: `ws://127.0.0.1:${closed}` })).toEqual({
      ok: false,
      error: {
        message: `The upstream ws://127.0.0.1:${closed} is unreachable (connect ECONNREFUSED 127.0.0.1:${closed}); start your backend or fix the upstream.`,
        path: 'upstream'
      }
    })

    const taken = await listening()
    const port = (taken.address() as { port: number }).port
    expect(await start({ listen: port })).toEqual({
      ok: false,
      error: {
        message: `Cannot listen on 127.0.0.1:${port} (EADDRINUSE); pick another port, or 0 for a free one.`,
        path: 'listen'
      }
    })
    // None of the refusals started anything.
    const status = await send(host, { cmd: 'observe_status' })
    expect(status.ok && status.result).toEqual({ running: null, last: null })
  })

  it('ends the observation when the runtime restarts, and when the host closes', async () => {
    const { host, backend } = await setUp()
    const first = await send(host, {
      cmd: 'observe_start',
      upstream: backend.url,
      user_from: ['cookie:user']
    })
    if (!first.ok) throw new Error(first.error.message)
    await host.handle({ cmd: 'restart_startup' })
    const status = await send(host, { cmd: 'observe_status' })
    expect(status.ok && status.result).toMatchObject({
      running: null,
      last: { endedBy: 'restart', exitCode: 0 }
    })
    await expect(user(first.result.url, 'alice')).rejects.toThrow(/ECONNREFUSED/)

    const second = await send(host, {
      cmd: 'observe_start',
      upstream: backend.url,
      user_from: ['cookie:user']
    })
    if (!second.ok) throw new Error(second.error.message)
    const alice = await user(second.result.url, 'alice')
    await host.close()
    await expect.poll(() => alice.socket.readyState).toBe(WebSocket.CLOSED)
    await expect(user(second.result.url, 'bob')).rejects.toThrow(/ECONNREFUSED/)
    expect(
      await host.handle({ cmd: 'observe_start', upstream: backend.url, user_from: ['cookie:user'] })
    ).toEqual({ ok: false, error: { message: 'The app is closing; nothing can be observed any more.' } })
  })
})

function listening(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => resolve(server))
    cleanups.push(() => new Promise<void>((done) => server.close(() => done())))
  })
}

async function freePort(): Promise<number> {
  const server = await listening()
  const { port } = server.address() as { port: number }
  await new Promise<void>((done) => server.close(() => done()))
  return port
}
