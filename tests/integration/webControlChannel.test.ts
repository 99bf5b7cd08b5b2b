import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startWebServer } from '../../src/main/host/web'
import type { WebServer } from '../../src/main/host/web'
import { CONTROL_CLOSE_SLOW_CONSUMER, CONTROL_STALLED_REASON } from '../../src/shared/controlFrames'
import { bigWarningPush, createFakeHost } from './webSupport/fakeHost'
import { createStaticRoot } from './webSupport/staticRoot'
import { connect } from './webSupport/wsClient'
import type { ControlClient } from './webSupport/wsClient'

const staticRoot = createStaticRoot()
const fake = createFakeHost()
let server: WebServer
const refusals: string[] = []
const openClients: ControlClient[] = []

beforeAll(async () => {
  server = await startWebServer({ host: fake.host, staticDir: staticRoot.root, log: (m) => refusals.push(m) })
})
afterAll(async () => {
  await server.close()
  staticRoot.remove()
})
afterEach(() => {
  openClients.splice(0).forEach((client) => client.close())
})

const controlUrl = (token: string | null, host = `127.0.0.1:${server.port}`): string =>
  `ws://${host}/control${token === null ? '' : `?token=${encodeURIComponent(token)}`}`
const ownOrigin = (): string => `http://127.0.0.1:${server.port}`

async function open(url = controlUrl(server.token), origin: string | undefined = ownOrigin()) {
  const outcome = await connect(url, origin === undefined ? {} : { origin })
  if (outcome.kind !== 'open') throw new Error(`Expected an open socket, got ${JSON.stringify(outcome)}`)
  openClients.push(outcome.client)
  return outcome.client
}

describe('web control channel: accepted', () => {
  it('prints a URL that carries the token and binds loopback', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`)
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('answers hello with the same id, from our own origin', async () => {
    const client = await open()
    client.sendRaw(JSON.stringify({ id: 7, command: { cmd: 'hello' } }))
    expect(await client.reply(7)).toEqual({ id: 7, reply: { ok: true, result: { faults: [], history: [] } } })
  })

  it('accepts the localhost spelling of our origin and host', async () => {
    const client = await open(
      controlUrl(server.token, `localhost:${server.port}`),
      `http://localhost:${server.port}`
    )
    client.sendRaw(JSON.stringify({ id: 1, command: { cmd: 'restart_startup' } }))
    expect(await client.reply(1)).toMatchObject({ reply: { ok: true } })
  })

  it('accepts a client without Origin (a script) when the token is right', async () => {
    const client = await open(controlUrl(server.token), undefined)
    client.sendRaw(JSON.stringify({ id: 2, command: { cmd: 'hello' } }))
    expect(await client.reply(2)).toMatchObject({ reply: { ok: true } })
  })

  it('forwards host pushes and stops after the socket closes', async () => {
    const client = await open()
    client.sendRaw(JSON.stringify({ id: 1, command: { cmd: 'hello' } }))
    await client.reply(1)
    const before = fake.subscribers()
    fake.push(bigWarningPush(1, 10))
    expect(await client.next((frame) => 'push' in frame)).toEqual({ push: bigWarningPush(1, 10) })
    client.close()
    await expect.poll(() => fake.subscribers()).toBe(before - 1)
  })
})

describe('web control channel: refused before the handshake', () => {
  const cases: Array<{ name: string; url: () => string; origin?: () => string; status: number }> = [
    { name: 'no token', url: () => controlUrl(null), origin: ownOrigin, status: 401 },
    { name: 'wrong token', url: () => controlUrl('A'.repeat(43)), origin: ownOrigin, status: 401 },
    { name: 'token of a different length', url: () => controlUrl('x'), origin: ownOrigin, status: 401 },
    { name: 'no Origin and no token', url: () => controlUrl(null), status: 401 },
    {
      name: 'a foreign Origin, even with the token',
      url: () => controlUrl(server.token),
      origin: () => 'http://evil.example',
      status: 403
    },
    {
      name: 'an IP Origin other than ours',
      url: () => controlUrl(server.token),
      origin: () => `http://127.0.0.2:${server.port}`,
      status: 403
    },
    {
      name: 'our host on another port as Origin',
      url: () => controlUrl(server.token),
      origin: () => `http://127.0.0.1:${server.port + 1}`,
      status: 403
    },
    {
      name: 'an https Origin',
      url: () => controlUrl(server.token),
      origin: () => `https://127.0.0.1:${server.port}`,
      status: 403
    },
    {
      name: 'the string "null" as Origin',
      url: () => controlUrl(server.token),
      origin: () => 'null',
      status: 403
    },
    {
      name: 'another path',
      url: () => `ws://127.0.0.1:${server.port}/other?token=${server.token}`,
      origin: ownOrigin,
      status: 404
    }
  ]

  for (const { name, url, origin, status } of cases) {
    it(`refuses ${name} with ${status}`, async () => {
      const handledBefore = fake.handled.length
      const subscribersBefore = fake.subscribers()
      const outcome = await connect(url(), origin ? { origin: origin() } : {})
      expect(outcome).toEqual({ kind: 'refused', status })
      expect(fake.handled.length).toBe(handledBefore)
      expect(fake.subscribers()).toBe(subscribersBefore)
    })
  }

  it('refuses a Host header that is not ours (DNS rebinding), even with the right token', async () => {
    const handledBefore = fake.handled.length
    const refusalsBefore = refusals.length
    // No Origin, so only the Host check can refuse it.
    const outcome = await connect(controlUrl(server.token), {
      headers: { Host: `rebind.example:${server.port}` }
    })
    expect(outcome).toEqual({ kind: 'refused', status: 403 })
    expect(fake.handled.length).toBe(handledBefore)
    expect(refusals.slice(refusalsBefore).join('\n')).toContain('Host must be')
  })

  it('logs why each refusal happened', () => {
    expect(refusals.some((line) => line.includes('(401)') && line.includes('token'))).toBe(true)
    expect(refusals.some((line) => line.includes('(403)') && line.includes('Origin'))).toBe(true)
    expect(refusals.some((line) => line.includes('(403)') && line.includes('Host'))).toBe(true)
  })
})

describe('web control channel: bad frames', () => {
  it('answers malformed JSON with an error naming the problem, then keeps working', async () => {
    const client = await open()
    client.sendRaw('{"id": 1, "command": ')
    const bad = await client.reply(null)
    expect(bad).toMatchObject({
      id: null,
      reply: { ok: false, error: { message: expect.stringContaining('not JSON') } }
    })
    client.sendRaw(JSON.stringify({ id: 2, command: { cmd: 'hello' } }))
    expect(await client.reply(2)).toMatchObject({ reply: { ok: true } })
  })

  it('answers an unknown command with the path and the known commands, echoing the id', async () => {
    const client = await open()
    client.sendRaw(JSON.stringify({ id: 3, command: { cmd: 'drop_tables' } }))
    const frame = await client.reply(3)
    expect(frame).toMatchObject({ reply: { ok: false, error: { path: 'command.cmd' } } })
    expect(JSON.stringify(frame)).toContain('hello')
    client.sendRaw(JSON.stringify({ id: 4, command: { cmd: 'hello' } }))
    expect(await client.reply(4)).toMatchObject({ reply: { ok: true } })
  })

  it('refuses extra fields in the frame and in the command', async () => {
    const client = await open()
    client.sendRaw(JSON.stringify({ id: 5, command: { cmd: 'hello' }, admin: true }))
    expect(await client.reply(5)).toMatchObject({
      reply: { ok: false, error: { message: expect.stringContaining('admin') } }
    })
    client.sendRaw(JSON.stringify({ id: 6, command: { cmd: 'hello', sudo: 1 } }))
    expect(await client.reply(6)).toMatchObject({ reply: { ok: false, error: { path: 'command' } } })
    client.sendRaw(JSON.stringify({ id: 8, command: { cmd: 'add_users', count: 'many' } }))
    expect(await client.reply(8)).toMatchObject({ reply: { ok: false, error: { path: 'command.count' } } })
  })

  it('answers a frame without a usable id, and a binary frame, with id null', async () => {
    const client = await open()
    client.sendRaw(JSON.stringify({ id: -1, command: { cmd: 'hello' } }))
    expect(await client.reply(null)).toMatchObject({ reply: { ok: false, error: { path: 'id' } } })
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true })
    expect(await client.reply(null)).toMatchObject({
      reply: { error: { message: expect.stringContaining('binary') } }
    })
  })

  it('turns a host that throws into an error reply', async () => {
    const client = await open()
    client.sendRaw(JSON.stringify({ id: 9, command: { cmd: 'list_scenarios' } }))
    expect(await client.reply(9)).toMatchObject({
      reply: { ok: false, error: { message: expect.stringContaining('scenario store unavailable') } }
    })
  })

  it('never lets the bad frames reach the host', () => {
    expect(
      fake.handled.every((command) => ['hello', 'restart_startup', 'list_scenarios'].includes(command.cmd))
    ).toBe(true)
  })
})

describe('web control channel: memory bounds', () => {
  it('closes with 1009 a frame above maxPayload, without touching the host', async () => {
    const small = await startWebServer({
      host: fake.host,
      staticDir: staticRoot.root,
      maxPayload: 1024,
      log: () => {}
    })
    try {
      const outcome = await connect(`ws://127.0.0.1:${small.port}/control?token=${small.token}`)
      if (outcome.kind !== 'open') throw new Error('expected open')
      const handledBefore = fake.handled.length
      const closed = new Promise<number>((resolve) =>
        outcome.client.socket.once('close', (code) => resolve(code))
      )
      outcome.client.sendRaw(
        JSON.stringify({ id: 1, command: { cmd: 'run_target', target: 'x'.repeat(4096), users: 1, runs: 1 } })
      )
      expect(await closed).toBe(1009)
      expect(fake.handled.length).toBe(handledBefore)
    } finally {
      await small.close()
    }
  })

  it(`closes a client that stops reading with ${CONTROL_CLOSE_SLOW_CONSUMER}, and others keep receiving`, async () => {
    const host = createFakeHost()
    let slow: ControlClient | null = null
    const bounded = await startWebServer({
      host: host.host,
      staticDir: staticRoot.root,
      behindBytes: 256 * 1024,
      stallMs: 300,
      // Read again once cut, so the close frame queued behind the unread pushes arrives.
      log: (message) => {
        if (message.includes(CONTROL_STALLED_REASON)) slow?.socket.resume()
      }
    })
    try {
      const url = `ws://127.0.0.1:${bounded.port}/control?token=${bounded.token}`
      const slowOutcome = await connect(url)
      const fast = await connect(url)
      if (slowOutcome.kind !== 'open' || fast.kind !== 'open') throw new Error('expected both sockets open')
      slow = slowOutcome.client
      const closed = new Promise<number>((resolve) =>
        slowOutcome.client.socket.once('close', (code) => resolve(code))
      )
      slow.socket.pause()
      let fastReceived = 0
      fast.client.socket.on('message', () => fastReceived++)
      // 40 MiB of pushes: far beyond kernel socket buffers; the slow client is behind, then stalled.
      for (let seq = 0; seq < 160; seq++) {
        host.push(bigWarningPush(seq, 256 * 1024))
        await new Promise((resolve) => setImmediate(resolve))
      }
      expect(await closed).toBe(CONTROL_CLOSE_SLOW_CONSUMER)
      await expect.poll(() => fastReceived, { timeout: 10_000 }).toBe(160)
      fast.client.close()
    } finally {
      await bounded.close()
    }
  })

  it('close() ends open control sockets with 1001 and resolves', async () => {
    const host = createFakeHost()
    const closing = await startWebServer({ host: host.host, staticDir: staticRoot.root, log: () => {} })
    const outcome = await connect(`ws://127.0.0.1:${closing.port}/control?token=${closing.token}`)
    if (outcome.kind !== 'open') throw new Error('expected open')
    const code = new Promise<number>((resolve) =>
      outcome.client.socket.once('close', (closeCode) => resolve(closeCode))
    )
    await closing.close()
    expect(await code).toBe(1001)
    expect(host.subscribers()).toBe(0)
  })
})
