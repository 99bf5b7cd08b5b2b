import { describe, expect, it } from 'vitest'
import { describeSent, firstLine, handshakeRefusedMessage } from '../../src/main/target/handshakeRefusal'

const NOT_FOUND_PAGE = `<!DOCTYPE html>
<html><head><style>body { color: red }</style><title>404 Not Found</title></head>
<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>`

describe('a refused handshake, summarised', () => {
  it('reads an HTML page as its title, or its first text, never the whole page', () => {
    expect(firstLine(NOT_FOUND_PAGE, 'text/html; charset=utf-8')).toBe('404 Not Found')
    expect(firstLine('<html><body>\n<h1>Gone</h1><p>away</p></body></html>', undefined)).toBe('Gone')
    expect(firstLine('\n\nunknown token\nsecond line', 'text/plain')).toBe('unknown token')
    expect(firstLine('x'.repeat(500), 'text/plain')).toBe(`${'x'.repeat(120)}…`)
    expect(firstLine('', undefined)).toBe('')
  })

  it('names what was sent, never a value: headers, masked query parameters, cookie names', () => {
    const sent = {
      headers: { Authorization: 'Bearer secret-token', 'X-Tenant': 'acme' },
      cookie: 'sid=abc; theme=dark',
      displayUrl: 'ws://h/ws?room=lobby&token=***'
    }
    const text = describeSent(sent)
    expect(text).toBe(
      'headers Authorization, X-Tenant, query parameter token, cookies sid, theme (values redacted)'
    )
    expect(text).not.toContain('secret-token')
    expect(describeSent({ headers: {}, cookie: null, displayUrl: 'ws://h/ws' })).toBe(
      'no auth header, query token or cookie'
    )
  })

  it('puts status, first line and what was sent in one message', () => {
    expect(
      handshakeRefusedMessage(404, 'text/html', NOT_FOUND_PAGE, {
        headers: { Authorization: 'Bearer t' },
        cookie: null,
        displayUrl: 'ws://h/nope'
      })
    ).toBe(
      'handshake refused with HTTP 404: 404 Not Found; sent header Authorization (values redacted); check auth and users in the target file'
    )
  })
})
