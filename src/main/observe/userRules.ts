import { z } from 'zod'
import { parseFramePath } from '../target/framePath'

/**
 * `--user-from` rules: where a connection says which user it is. Request rules read the upgrade request; the
 * first-message rule reads the first message the client sends. Grammar (docs/observe-mode.md):
 *
 *   header:NAME | cookie:NAME | query:NAME | jwt:CLAIM@(header|cookie|query):NAME | json:/pointer@first-message
 */
export type RequestSource = { from: 'header' | 'cookie' | 'query'; name: string }

export type UserRule =
  | ({ kind: 'request'; text: string } & RequestSource)
  | { kind: 'jwt'; text: string; claim: string; claimPath: string[]; source: RequestSource }
  | { kind: 'first_message'; text: string; pointer: string; segments: string[] }

/** HTTP token characters (RFC 9110), what a header or cookie name may hold. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const RULE_FORMS =
  'header:NAME, cookie:NAME, query:NAME, jwt:CLAIM@header:NAME (or @cookie:NAME, @query:NAME) or json:/pointer@first-message'

function parseSource(text: string): RequestSource | string {
  const colon = text.indexOf(':')
  const from = text.slice(0, colon)
  const name = text.slice(colon + 1)
  if (colon < 0 || (from !== 'header' && from !== 'cookie' && from !== 'query'))
    return `'${text}' is not header:NAME, cookie:NAME or query:NAME`
  if (name === '') return `'${text}' names no ${from}`
  if (from !== 'query' && !TOKEN.test(name)) return `'${name}' is not a valid ${from} name`
  return { from, name: from === 'header' ? name.toLowerCase() : name }
}

/** Reads one rule, or says what is wrong with it. */
function parseRule(text: string): UserRule | string {
  if (text.startsWith('json:')) {
    const at = text.lastIndexOf('@')
    const pointer = at < 0 ? '' : text.slice('json:'.length, at)
    if (at < 0 || text.slice(at + 1) !== 'first-message')
      return `'${text}': a json rule reads the first message: json:/pointer@first-message`
    if (!pointer.startsWith('/') || pointer === '/')
      return `'${text}': '${pointer}' is not a JSON pointer (it starts with '/', e.g. /auth/user)`
    return { kind: 'first_message', text, pointer, segments: parseFramePath(pointer) }
  }
  if (text.startsWith('jwt:')) {
    const at = text.indexOf('@')
    const claim = at < 0 ? '' : text.slice('jwt:'.length, at)
    if (at < 0) return `'${text}': a jwt rule says where the token is: jwt:CLAIM@header:NAME`
    if (claim === '' || claim === '/') return `'${text}' names no claim (e.g. jwt:sub@header:authorization)`
    const source = parseSource(text.slice(at + 1))
    if (typeof source === 'string') return `'${text}': ${source}`
    const claimPath = claim.startsWith('/') ? parseFramePath(claim) : [claim]
    return { kind: 'jwt', text, claim, claimPath, source }
  }
  const source = parseSource(text)
  if (typeof source === 'string') return `${source}; a rule is one of ${RULE_FORMS}`
  return { kind: 'request', text, ...source }
}

/** One `--user-from` value, checked and read. */
export const userRuleSchema = z.string().transform((text, context): UserRule => {
  const rule = parseRule(text.trim())
  if (typeof rule === 'string') {
    context.addIssue({ code: 'custom', message: rule })
    return z.NEVER
  }
  return rule
})

export const userRulesSchema = z.array(userRuleSchema).min(1, `give at least one rule: ${RULE_FORMS}`)

/** Thrown by parseUserRules: the message names the rule and what was expected. */
export class UserRuleError extends Error {}

/** Reads `--user-from` values; throws UserRuleError naming the first malformed one. */
export function parseUserRules(texts: readonly string[]): UserRule[] {
  const result = userRulesSchema.safeParse(texts)
  if (result.success) return result.data
  throw new UserRuleError(result.error.issues.map((issue) => issue.message).join('; '))
}
