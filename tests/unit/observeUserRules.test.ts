import { describe, expect, it } from 'vitest'
import { attributeRequest, attributeWithFirstMessage } from '../../src/main/observe/attribution'
import { parseUserRules, UserRuleError } from '../../src/main/observe/userRules'

const jwt = (claims: object): string =>
  ['{"alg":"none"}', JSON.stringify(claims), '']
    .map((part) => Buffer.from(part).toString('base64url'))
    .join('.') + 'c2ln'

const request = (url: string, headers: Record<string, string> = {}) => ({ url, headers })

describe('--user-from rules', () => {
  it('reads every rule kind', () => {
    const rules = parseUserRules([
      'header:X-User',
      'cookie:session_user',
      'query:user',
      'jwt:sub@header:authorization',
      'jwt:/ctx/user@cookie:token',
      'json:/auth/user@first-message'
    ])
    expect(rules.map((rule) => rule.kind)).toEqual([
      'request',
      'request',
      'request',
      'jwt',
      'jwt',
      'first_message'
    ])
    expect(rules[0]).toMatchObject({ from: 'header', name: 'x-user' })
    expect(rules[4]).toMatchObject({ claimPath: ['ctx', 'user'], source: { from: 'cookie', name: 'token' } })
  })

  it.each([
    ['header:', /names no header/],
    ['head:x', /is not header:NAME, cookie:NAME or query:NAME/],
    ['cookie:a b', /not a valid cookie name/],
    ['jwt:sub', /says where the token is/],
    ['jwt:@header:authorization', /names no claim/],
    ['jwt:sub@body:x', /'jwt:sub@body:x': 'body:x' is not header:NAME/],
    ['json:/user', /json:\/pointer@first-message/],
    ['json:user@first-message', /is not a JSON pointer/],
    ['json:/user@last-message', /json:\/pointer@first-message/]
  ])('refuses %s, saying why', (text, message) => {
    expect(() => parseUserRules([text])).toThrow(UserRuleError)
    expect(() => parseUserRules([text])).toThrow(message)
  })

  it('wants at least one rule', () => {
    expect(() => parseUserRules([])).toThrow(/at least one rule/)
  })
})

describe('attribution', () => {
  it('names the user by header, cookie, query and JWT claim (with or without Bearer)', () => {
    const by = (rule: string, req: ReturnType<typeof request>) =>
      attributeRequest(parseUserRules([rule]), req)
    expect(by('header:x-user', request('/ws', { 'x-user': 'alice' }))).toEqual({
      kind: 'user',
      userId: 'alice',
      rule: 'header:x-user'
    })
    expect(by('cookie:uid', request('/ws', { cookie: 'theme=dark; uid=bob%40example.com' }))).toMatchObject({
      userId: 'bob@example.com'
    })
    expect(by('query:u', request('/ws?room=1&u=carol'))).toMatchObject({ userId: 'carol' })
    const token = jwt({ sub: 'dave', ctx: { user: 42 } })
    expect(
      by('jwt:sub@header:authorization', request('/', { authorization: `Bearer ${token}` }))
    ).toMatchObject({
      userId: 'dave'
    })
    expect(by('jwt:/ctx/user@query:token', request(`/?token=${token}`))).toMatchObject({ userId: '42' })
  })

  it('takes the first rule that names a user, and never guesses', () => {
    const rules = parseUserRules(['header:x-user', 'query:user'])
    expect(attributeRequest(rules, request('/?user=erin'))).toMatchObject({
      userId: 'erin',
      rule: 'query:user'
    })
    expect(attributeRequest(rules, request('/?user=erin', { 'x-user': 'frank' }))).toMatchObject({
      userId: 'frank'
    })
    const none = attributeRequest(rules, request('/?room=1'))
    expect(none).toEqual({ kind: 'unattributed', problems: ['header:x-user: absent', 'query:user: absent'] })
    expect(attributeRequest(rules, request('/', { 'x-user': '' }))).toMatchObject({ kind: 'unattributed' })
    const badToken = attributeRequest(
      parseUserRules(['jwt:sub@header:authorization']),
      request('/', { authorization: 'x' })
    )
    expect(badToken).toMatchObject({ kind: 'unattributed', problems: [expect.stringContaining('not a JWT')] })
  })

  it('waits for the first message when a json rule comes first, then applies the rules in order', () => {
    const rules = parseUserRules(['json:/auth/user@first-message', 'header:x-user'])
    const req = request('/', { 'x-user': 'grace' })
    expect(attributeRequest(rules, req)).toEqual({ kind: 'wait_for_first_message' })
    expect(attributeWithFirstMessage(rules, req, '{"auth":{"user":"heidi"}}')).toMatchObject({
      userId: 'heidi'
    })
    expect(attributeWithFirstMessage(rules, req, '{"hello":1}')).toMatchObject({ userId: 'grace' })
    expect(attributeWithFirstMessage(rules, req, '40{"auth":{"user":"ivan"}}')).toMatchObject({
      userId: 'ivan'
    })
    expect(attributeWithFirstMessage(rules, request('/'), 'not json')).toMatchObject({
      kind: 'unattributed',
      problems: ['json:/auth/user@first-message: the first message is not JSON', 'header:x-user: absent']
    })
  })
})
