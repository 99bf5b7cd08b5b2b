import { describe, expect, it } from 'vitest'
import { authorizeUpgrade, isOurHost, isOurOrigin } from '../../src/main/host/web/requestGuards'
import { staticTarget } from '../../src/main/host/web/staticFiles'
import { createControlToken, tokensMatch } from '../../src/main/host/web/token'

const port = 43111
const token = createControlToken()
const upgrade = (url: string, headers: Record<string, string>) =>
  authorizeUpgrade({ url, headers }, { port, token })

describe('control token', () => {
  it('is fresh per launch and compared exactly', () => {
    expect(createControlToken()).not.toBe(token)
    expect(tokensMatch(token, token)).toBe(true)
    expect(tokensMatch(`${token}x`, token)).toBe(false)
    expect(tokensMatch((token.startsWith('A') ? 'B' : 'A') + token.slice(1), token)).toBe(false)
    expect(tokensMatch(null, token)).toBe(false)
    expect(tokensMatch('', token)).toBe(false)
  })
})

describe('host and origin', () => {
  it('accepts only our loopback authorities', () => {
    expect(isOurHost(`127.0.0.1:${port}`, port)).toBe(true)
    expect(isOurHost(`LOCALHOST:${port}`, port)).toBe(true)
    for (const host of [
      undefined,
      '127.0.0.1',
      `127.0.0.1:${port + 1}`,
      `evil.example:${port}`,
      `[::1]:${port}`
    ]) {
      expect(isOurHost(host, port)).toBe(false)
    }
  })

  it('matches Origin exactly', () => {
    expect(isOurOrigin(`http://127.0.0.1:${port}`, port)).toBe(true)
    expect(isOurOrigin(`http://localhost:${port}`, port)).toBe(true)
    for (const origin of [
      `http://127.0.0.1:${port}/`,
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1.evil.example:${port}`,
      `http://127.0.0.1`,
      'null'
    ]) {
      expect(isOurOrigin(origin, port)).toBe(false)
    }
  })
})

describe('authorizeUpgrade', () => {
  const host = `127.0.0.1:${port}`
  const origin = `http://127.0.0.1:${port}`

  it('lets in the right token from our page or from a client without Origin', () => {
    expect(upgrade(`/control?token=${token}`, { host, origin })).toEqual({ ok: true })
    expect(upgrade(`/control?token=${token}`, { host })).toEqual({ ok: true })
  })

  it('checks Host before Origin before the token, so a rebinding page learns nothing about the token', () => {
    expect(
      upgrade('/control', { host: `evil.example:${port}`, origin: 'http://evil.example' })
    ).toMatchObject({
      status: 403,
      reason: expect.stringContaining('Host')
    })
    expect(upgrade('/control', { host, origin: 'http://evil.example' })).toMatchObject({
      status: 403,
      reason: expect.stringContaining('Origin')
    })
    expect(upgrade('/control?token=nope', { host, origin })).toMatchObject({ status: 401 })
    expect(upgrade(`/elsewhere?token=${token}`, { host, origin })).toMatchObject({ status: 404 })
  })
})

describe('staticTarget', () => {
  it('maps / and directories to index.html and drops the query', () => {
    expect(staticTarget('/?token=abc')).toEqual({ ok: true, relative: 'index.html' })
    expect(staticTarget('/assets/')).toEqual({ ok: true, relative: 'assets/index.html' })
    expect(staticTarget('/assets/app%20x.js')).toEqual({ ok: true, relative: 'assets/app x.js' })
  })

  it('refuses traversal in every spelling', () => {
    for (const raw of ['/../x', '/a/../../x', '/%2e%2e/x', '/..%2Fx', '/a%5c..%5cx', '/x%00.js']) {
      expect(staticTarget(raw)).toMatchObject({ ok: false, status: 403 })
    }
    expect(staticTarget('/%zz')).toMatchObject({ ok: false, status: 400 })
    expect(staticTarget('x')).toMatchObject({ ok: false, status: 400 })
  })
})
