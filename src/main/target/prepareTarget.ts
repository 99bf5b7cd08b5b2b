import { randomBytes } from 'node:crypto'
import type { TargetFile } from '../../shared/targetFile'
import type { JsonValue } from './jsonValue'
import {
  mentionsVariable,
  renderJsonTemplate,
  renderTemplate,
  TemplateError,
  type TemplateVariables
} from './template'
import { TargetFileError } from './targetFileError'

/** One simulated user, with every template of the target file rendered for it. */
export interface PreparedUser {
  index: number
  userId: string
  canary: string
  url: string
  /** The url as shown in messages: a token passed in the query is masked. */
  displayUrl: string
  headers: Record<string, string>
  /** JSON text sent first, when auth is by message. */
  authMessage: string | null
  heartbeat: { everyMs: number; text: string } | null
  /** JSON text of the start message of run `run` (1-based). */
  startMessage(run: number): string
}

export interface PrepareOptions {
  users: number
  /** Replaces the file's url (the same file against another port). */
  url?: string
  /** Makes canaries unique to this invocation. Default: 8 random hex digits. */
  nonce?: string
}

const BUILTIN = ['index', 'nonce', 'user_id', 'token', 'canary'] as const
// Letters, digits and _.:- survive JSON encoding unchanged, so a marker is found in the raw frame text.
const CANARY_SHAPE = /^[A-Za-z0-9_.:-]{6,200}$/

/**
 * Renders the target file for N users before anything connects, so every template and canary problem is reported
 * at once, naming the field, rather than as N connection failures.
 */
export function prepareTarget(name: string, file: TargetFile, options: PrepareOptions): PreparedUser[] {
  const problems: string[] = []
  const attempt = <T>(work: () => T): T | null => {
    try {
      return work()
    } catch (error) {
      if (error instanceof TemplateError) problems.push(error.message)
      else if (error instanceof TargetFileError) problems.push(...error.problems)
      else throw error
      return null
    }
  }
  checkStaticRules(file, options, problems)
  if (problems.length > 0) throw new TargetFileError(name, problems)
  const nonce = options.nonce ?? randomBytes(4).toString('hex')
  const users: PreparedUser[] = []
  for (let index = 1; index <= options.users && problems.length === 0; index++) {
    const user = attempt(() => prepareUser(file, options, index, nonce))
    if (user) users.push(user)
  }
  if (problems.length === 0) checkUnique(users, problems)
  if (problems.length > 0) throw new TargetFileError(name, problems)
  return users
}

function checkStaticRules(file: TargetFile, options: PrepareOptions, problems: string[]): void {
  const clash = Object.keys(file.users.vars).filter((name) => (BUILTIN as readonly string[]).includes(name))
  if (clash.length > 0)
    problems.push(
      `users.vars: ${clash.join(', ')} is a built-in variable; rename it (built-ins: ${BUILTIN.join(', ')})`
    )
  if (file.users.tokens && file.users.tokens.length < options.users)
    problems.push(
      `users.tokens: lists ${file.users.tokens.length} token(s) but --users is ${options.users}; add tokens or use users.token`
    )
  if (file.canary.values && file.canary.values.length < options.users)
    problems.push(
      `canary.values: lists ${file.canary.values.length} marker(s) but --users is ${options.users}; add markers or use canary.template`
    )
  const sent: Array<JsonValue | undefined> = [file.start, file.heartbeat?.message, options.url ?? file.url]
  if (file.auth) sent.push(file.auth.in === 'message' ? file.auth.message : file.auth.value)
  if (!sent.some((value) => mentionsVariable(value, 'canary')))
    problems.push(
      'start: no template uses {{canary}}, so no user marker is ever sent; put {{canary}} in what a user sends (e.g. its message text)'
    )
  for (const [role, type] of Object.entries(file.events.types)) {
    if (file.events.ignore.includes(type))
      problems.push(`events.types.${role}: '${type}' is also in events.ignore`)
  }
  const names = Object.values(file.events.types)
  const repeated = names.filter((type, index) => names.indexOf(type) !== index)
  if (repeated.length > 0)
    problems.push(`events.types: '${repeated[0]}' is given to two roles; each role needs its own type`)
  if (names.length === 0) problems.push('events.types: names no role, so no run could ever be checked')
}

function prepareUser(file: TargetFile, options: PrepareOptions, index: number, nonce: string): PreparedUser {
  const base: Record<string, string> = { index: String(index), nonce }
  const userId = renderTemplate('users.id', file.users.id, base)
  const vars: Record<string, string> = { ...base, user_id: userId }
  for (const [key, template] of Object.entries(file.users.vars))
    vars[key] = renderTemplate(`users.vars.${key}`, template, { ...base, user_id: userId })
  vars.token = file.users.tokens?.[index - 1] ?? renderTemplate('users.token', file.users.token, vars)
  vars.canary =
    file.canary.values?.[index - 1] ?? renderTemplate('canary.template', file.canary.template, vars)
  const vs: TemplateVariables = vars
  const url = new URL(
    options.url === undefined
      ? resolveUrl('url', renderTemplate('url', file.url, vs))
      : resolveUrl('--url', renderTemplate('--url', options.url, vs))
  )
  const headers: Record<string, string> = {}
  let authMessage: string | null = null
  if (file.auth?.in === 'header') headers[file.auth.name] = renderTemplate('auth.value', file.auth.value, vs)
  const display = new URL(url)
  if (file.auth?.in === 'query') {
    url.searchParams.set(file.auth.name, renderTemplate('auth.value', file.auth.value, vs))
    display.searchParams.set(file.auth.name, '***')
  }
  if (file.auth?.in === 'message')
    authMessage = JSON.stringify(renderJsonTemplate('auth.message', file.auth.message, vs))
  const heartbeat = file.heartbeat
    ? {
        everyMs: file.heartbeat.everyMs,
        text: JSON.stringify(renderJsonTemplate('heartbeat.message', file.heartbeat.message, vs))
      }
    : null
  const startMessage = (run: number): string =>
    JSON.stringify(renderJsonTemplate('start', file.start, { ...vs, run: String(run) }))
  startMessage(1) // fails now, naming the variable, rather than once the users are connected
  return {
    index,
    userId,
    canary: vars.canary,
    url: url.toString(),
    displayUrl: display.toString(),
    headers,
    authMessage,
    heartbeat,
    startMessage
  }
}

function resolveUrl(field: string, text: string): string {
  const problems: string[] = []
  checkUrl(field, text, problems)
  if (problems.length > 0) throw new TargetFileError(field, problems)
  return text
}

function checkUrl(field: string, text: string, problems: string[]): void {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    problems.push(`${field}: '${text}' is not a URL; expected ws://host:port/path or wss://...`)
    return
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
    problems.push(`${field}: '${text}' uses ${url.protocol}; expected ws:// or wss://`)
}

function checkUnique(users: PreparedUser[], problems: string[]): void {
  const seen = new Map<string, number>()
  for (const user of users) {
    const other = seen.get(user.userId)
    if (other !== undefined)
      problems.push(
        `users.id: renders '${user.userId}' for users ${other} and ${user.index}; include {{index}}`
      )
    seen.set(user.userId, user.index)
  }
  const canaries = users.map((user) => user.canary)
  for (const user of users) {
    if (!CANARY_SHAPE.test(user.canary))
      problems.push(
        `canary: '${user.canary}' (user ${user.userId}) must be 6-200 letters, digits or _.:- so it survives JSON encoding`
      )
    const clash = canaries.find((other) => other !== user.canary && other.includes(user.canary))
    const twin = canaries.indexOf(user.canary) !== user.index - 1
    if (clash || twin)
      problems.push(
        `canary: '${user.canary}' (user ${user.userId}) is ${twin ? 'repeated' : `part of '${clash}'`}; every marker must be unique and contain no other (end the template with {{nonce}})`
      )
  }
}
