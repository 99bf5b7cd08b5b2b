import { parseJson } from '../../shared/json'
import { readIdAt } from '../target/framePath'
import { parseFrameJson } from './frameStrings'
import type { ObservedRequest } from './relayObserver'
import type { RequestSource, UserRule } from './userRules'

/** The longest user id kept (the inspection stream's user ids are at most this long). */
export const MAX_USER_ID = 200

export type Attribution =
  | { kind: 'user'; userId: string; rule: string }
  /** A json rule comes before any rule that named the user: the first client message decides. */
  | { kind: 'wait_for_first_message' }
  | { kind: 'unattributed'; problems: string[] }
export type SettledAttribution = Exclude<Attribution, { kind: 'wait_for_first_message' }>

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=')
    if (equals < 0 || pair.slice(0, equals).trim() !== name) continue
    const value = pair.slice(equals + 1).trim()
    const unquoted = value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value
    try {
      return decodeURIComponent(unquoted)
    } catch {
      return unquoted
    }
  }
  return undefined
}

function queryValue(url: string, name: string): string | undefined {
  const query = url.indexOf('?')
  if (query < 0) return undefined
  return new URLSearchParams(url.slice(query + 1)).get(name) ?? undefined
}

/** The raw text a source names in the request, if it is there. */
export function readSource(request: ObservedRequest, source: RequestSource): string | undefined {
  switch (source.from) {
    case 'header':
      return firstValue(request.headers[source.name])
    case 'cookie':
      return cookieValue(firstValue(request.headers.cookie), source.name)
    case 'query':
      return queryValue(request.url, source.name)
  }
}

/** A JWT's claims, decoded and not verified (observe mode only needs to know who the client says it is). */
function jwtClaims(token: string): { ok: true; claims: unknown } | { ok: false; problem: string } {
  const bare = token.replace(/^bearer\s+/i, '').trim()
  const parts = bare.split('.')
  if (parts.length !== 3) return { ok: false, problem: 'not a JWT (expected three dot-separated parts)' }
  const payload = parseJson(Buffer.from(parts[1] as string, 'base64url').toString('utf8'))
  if (!payload.ok) return { ok: false, problem: `the JWT's payload is not JSON: ${payload.error}` }
  return { ok: true, claims: payload.value }
}

function userIdOf(value: string, rule: string): SettledAttribution | string {
  if (value === '') return `${rule}: empty`
  if (value.length > MAX_USER_ID) return `${rule}: longer than ${MAX_USER_ID} characters`
  return { kind: 'user', userId: value, rule }
}

/** What one request rule says about a request: a user, or why it names none. */
function applyRequestRule(rule: UserRule, request: ObservedRequest): SettledAttribution | string {
  if (rule.kind === 'request') {
    const value = readSource(request, rule)
    return value === undefined ? `${rule.text}: absent` : userIdOf(value.trim(), rule.text)
  }
  if (rule.kind !== 'jwt') return `${rule.text}: not a request rule`
  const token = readSource(request, rule.source)
  if (token === undefined) return `${rule.text}: no ${rule.source.from} ${rule.source.name}`
  const claims = jwtClaims(token)
  if (!claims.ok) return `${rule.text}: ${claims.problem}`
  const claim = readIdAt(claims.claims, rule.claimPath, rule.claim)
  return claim.ok ? userIdOf(String(claim.value), rule.text) : `${rule.text}: ${claim.problem}`
}

/**
 * Applies the rules in order to the upgrade request: the first that names a user wins. A json rule met before
 * that means the first message must be seen first.
 */
export function attributeRequest(rules: readonly UserRule[], request: ObservedRequest): Attribution {
  const problems: string[] = []
  for (const rule of rules) {
    if (rule.kind === 'first_message') return { kind: 'wait_for_first_message' }
    const result = applyRequestRule(rule, request)
    if (typeof result !== 'string') return result
    problems.push(result)
  }
  return { kind: 'unattributed', problems }
}

/** What a Socket.IO client that began with long-polling sends first when it upgrades to a WebSocket. */
const ENGINE_IO_PROBE = '2probe'
const PROBE_PROBLEM =
  "the first message is Engine.IO's upgrade probe '2probe': the Socket.IO client started with HTTP long-polling, " +
  'so its connect packet and auth went over HTTP, not this WebSocket; attribute by cookie:, query: or header:, ' +
  "or give the client transports: ['websocket']"

/** Applies every rule in order once the first client message is known (`null`: the connection sent none). */
export function attributeWithFirstMessage(
  rules: readonly UserRule[],
  request: ObservedRequest,
  firstMessage: string | null
): SettledAttribution {
  const problems: string[] = []
  // Read as frames are: a Socket.IO packet prefix (`40{"auth":…}`) is skipped.
  const parsed = firstMessage === null ? null : parseFrameJson(firstMessage)
  for (const rule of rules) {
    let result: SettledAttribution | string
    if (rule.kind !== 'first_message') result = applyRequestRule(rule, request)
    else if (parsed === null) result = `${rule.text}: the client sent no message`
    else if (firstMessage === ENGINE_IO_PROBE) result = `${rule.text}: ${PROBE_PROBLEM}`
    else if (!parsed.ok) result = `${rule.text}: the first message is not JSON`
    else {
      const read = readIdAt(parsed.value, rule.segments, rule.pointer)
      result = read.ok ? userIdOf(String(read.value), rule.text) : `${rule.text}: ${read.problem}`
    }
    if (typeof result !== 'string') return result
    problems.push(result)
  }
  return { kind: 'unattributed', problems }
}
