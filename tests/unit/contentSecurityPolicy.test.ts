import { describe, expect, it } from 'vitest'
import {
  CONTENT_SECURITY_POLICY,
  CONTENT_SECURITY_POLICY_META
} from '../../src/main/security/contentSecurityPolicy'
import { SECURITY_HEADERS, withSecurityHeaders } from '../../src/main/security/securityHeaders'

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/)
      return [name, values]
    })
  )
}

describe('content security policy', () => {
  for (const [label, policy] of [
    ['header', CONTENT_SECURITY_POLICY],
    ['meta', CONTENT_SECURITY_POLICY_META]
  ] as const) {
    describe(label, () => {
      const parsed = directives(policy)

      it('never allows eval or inline scripts', () => {
        expect(policy).not.toContain("'unsafe-eval'")
        expect(parsed.get('script-src')).toEqual(["'self'"])
      })

      it("defaults to 'self' and forbids plugins and base rewriting", () => {
        expect(parsed.get('default-src')).toEqual(["'self'"])
        expect(parsed.get('object-src')).toEqual(["'none'"])
        expect(parsed.get('base-uri')).toEqual(["'none'"])
      })

      it('lets the renderer reach the loopback control channel only', () => {
        expect(parsed.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:*', 'ws://localhost:*'])
      })
    })
  }

  it('puts frame-ancestors in the header only, since a <meta> cannot carry it', () => {
    expect(directives(CONTENT_SECURITY_POLICY).get('frame-ancestors')).toEqual(["'none'"])
    expect(CONTENT_SECURITY_POLICY_META).not.toContain('frame-ancestors')
  })
})

describe('security headers', () => {
  it('replaces a CSP of any case and keeps unrelated headers', () => {
    const merged = withSecurityHeaders({
      'content-security-policy': ["default-src *; script-src 'unsafe-eval'"],
      'Content-Type': ['text/html']
    })
    expect(merged['content-security-policy']).toBeUndefined()
    expect(merged['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY])
    expect(merged['X-Content-Type-Options']).toEqual(['nosniff'])
    expect(merged['Content-Type']).toEqual(['text/html'])
  })

  it('sends nosniff and no referrer (the web-mode URL carries the token)', () => {
    expect(SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff')
    expect(SECURITY_HEADERS['Referrer-Policy']).toBe('no-referrer')
  })
})
