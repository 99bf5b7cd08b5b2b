import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY_META } from '../../src/main/security/contentSecurityPolicy'

describe('the renderer page', () => {
  it('carries exactly the shared CSP in its meta tag, so the page and the headers cannot drift apart', () => {
    const html = readFileSync('src/renderer/index.html', 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY_META)
  })
})
