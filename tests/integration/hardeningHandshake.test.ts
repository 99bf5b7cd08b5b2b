import { connect as tcpConnect } from 'node:net'
import { networkInterfaces } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createRuntimeHost, type RuntimeHost } from '../../src/main/host/runtimeHost'
import { startWebServer, type WebServer } from '../../src/main/host/web'
import { Runtime } from '../../src/main/runtime/runtime'
import { createStaticRoot } from './webSupport/staticRoot'

/**
 * The same refusals, asked of both listening ports: the runtime's (simulated users, never a browser) and web
 * mode's control channel (our own page). Each must answer with an HTTP status before any WebSocket handshake.
 */
interface Target {
  name: string
  port: () => number
  url: (token: string | null, host?: string) => string
  token: () => string
  /** What our own page's Origin gets: the runtime refuses every Origin, web mode accepts its own. */
  ownOrigin: 'open' | 403
  /** Evidence that nothing got past the upgrade handler. */
  sessions: () => number
}

let runtime: Runtime
let host: RuntimeHost
let web: WebServer
const staticRoot = createStaticRoot()
const webSessions = { opened: 0 }

beforeAll(async () => {
  runtime = await Runtime.start({ seed: 3 })
  host = await createRuntimeHost({ stepDelayMs: 0 })
  const counted = {
    handle: host.handle.bind(host),
    helloText: host.helloText.bind(host),
    subscribe: (listener: Parameters<RuntimeHost['subscribe']>[0]) => {
      webSessions.opened += 1
      return host.subscribe(listener)
    }
  }
  web = await startWebServer({ host: counted, staticDir: staticRoot.root, log: () => {} })
})
afterAll(async () => {
  await web.close()
  await host.close()
  await runtime.close()
  staticRoot.remove()
})

const targets: Target[] = [
  {
    name: 'runtime port',
    port: () => runtime.server.port,
    token: () => runtime.server.token,
    url: (token, authority = `127.0.0.1:${runtime.server.port}`) =>
      `ws://${authority}/ws?${token === null ? '' : `token=${token}&`}user_id=alice`,
    ownOrigin: 403,
    sessions: () => runtime.bus.snapshot().filter((event) => event.kind === 'user_connected').length
  },
  {
    name: 'web control channel',
    port: () => web.port,
    token: () => web.token,
    url: (token, authority = `127.0.0.1:${web.port}`) =>
      `ws://${authority}/control${token === null ? '' : `?token=${encodeURIComponent(token)}`}`,
    ownOrigin: 'open',
    sessions: () => webSessions.opened
  }
]

/** Opens a real client and reports the refused HTTP status, or 'open' after a completed handshake. */
function attempt(url: string, headers: Record<string, string>): Promise<number | 'open'> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers, perMessageDeflate: false })
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0)
      socket.terminate()
    })
    socket.once('open', () => {
      socket.close()
      resolve('open')
    })
    socket.once('error', reject)
  })
}

describe.each(targets)('$name: refused before the handshake', (target) => {
  const own = (): string => `http://127.0.0.1:${target.port()}`
  const cases: Array<[string, () => string, () => Record<string, string>, number]> = [
    ['no token', () => target.url(null), () => ({}), 401],
    ['a wrong token', () => target.url('f'.repeat(target.token().length)), () => ({}), 401],
    ['a token of another length', () => target.url('x'), () => ({}), 401],
    ['no Origin and no token', () => target.url(null), () => ({}), 401],
    [
      'a foreign Origin, with the token',
      () => target.url(target.token()),
      () => ({ Origin: 'https://evil.example' }),
      403
    ],
    [
      'an IP Origin other than ours (127.0.0.2)',
      () => target.url(target.token()),
      () => ({ Origin: `http://127.0.0.2:${target.port()}` }),
      403
    ],
    [
      'an IP Origin other than ours (LAN)',
      () => target.url(target.token()),
      () => ({ Origin: `http://192.168.1.20:${target.port()}` }),
      403
    ],
    [
      'an IPv6 loopback Origin',
      () => target.url(target.token()),
      () => ({ Origin: `http://[::1]:${target.port()}` }),
      403
    ],
    [
      'our address on another port as Origin',
      () => target.url(target.token()),
      () => ({ Origin: `http://127.0.0.1:${target.port() + 1}` }),
      403
    ],
    [
      'the opaque Origin "null" (sandboxed frame, file://)',
      () => target.url(target.token()),
      () => ({ Origin: 'null' }),
      403
    ],
    [
      'a foreign Host (DNS rebinding), with the token',
      () => target.url(target.token()),
      () => ({ Host: `rebind.example:${target.port()}` }),
      403
    ],
    [
      'a rebinding Host and its own Origin (the page on the rebound name)',
      () => target.url(target.token()),
      () => ({
        Host: `attacker.example:${target.port()}`,
        Origin: `http://attacker.example:${target.port()}`
      }),
      403
    ],
    [
      'our address without the port as Host',
      () => target.url(target.token()),
      () => ({ Host: '127.0.0.1' }),
      403
    ],
    [
      'our address on another port as Host',
      () => target.url(target.token()),
      () => ({ Host: `127.0.0.1:${target.port() + 1}` }),
      403
    ]
  ]

  it.each(cases)('%s', async (_label, url, headers, status) => {
    const before = target.sessions()
    expect(await attempt(url(), headers())).toBe(status)
    expect(target.sessions()).toBe(before)
  })

  it('our own page Origin: the runtime refuses it (no browser belongs there), web mode lets it in', async () => {
    expect(await attempt(target.url(target.token()), { Origin: own() })).toBe(target.ownOrigin)
  })

  it('still accepts a client with the token and no Origin', async () => {
    const before = target.sessions()
    expect(await attempt(target.url(target.token()), {})).toBe('open')
    await expect.poll(() => target.sessions()).toBe(before + 1)
  })
})

describe('listening on 127.0.0.1 only', () => {
  /** Addresses of this machine other than 127.0.0.1 that a LAN peer (or ::1) could try. */
  const otherAddresses = Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .map((entry) => entry.address)
    .filter((address) => address !== '127.0.0.1' && !address.startsWith('fe80'))

  function reachable(address: string, port: number): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = tcpConnect({ host: address, port })
      socket.setTimeout(2_000, () => {
        socket.destroy()
        resolve(false)
      })
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
  }

  it.runIf(otherAddresses.length > 0).each(targets)(
    '$name is unreachable on every other address of this machine (::1, LAN)',
    async (target) => {
      for (const address of otherAddresses)
        expect([address, await reachable(address, target.port())]).toEqual([address, false])
      expect(await reachable('127.0.0.1', target.port())).toBe(true)
    }
  )
})
