import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { TargetFile } from '../../shared/targetFile'
import type { JsonValue } from './jsonValue'
import { mentionsVariable, renderTemplate, TemplateError, type TemplateVariables } from './template'
import { shareKeyVariables } from './shareKey'
import { TargetFileError } from './targetFileError'
import {
  renderConnection,
  renderHeaders,
  renderHttp,
  renderStep,
  runStepsOf,
  withCaptured,
  type Captured,
  type ConnectionPlan,
  type HttpPlan,
  type StepPlan,
  type TlsPlan
} from './userPlan'

/** One simulated user, with every template of the target file checked for it and rendered when needed. */
export interface PreparedUser {
  index: number
  userId: string
  canary: string
  /** The user's template variables (index, nonce, user_id, token, canary, users.vars, users.shareKey). */
  variables: TemplateVariables
  /** Where its connections go, as shown in messages (a query token masked; captures not known yet). */
  displayUrl: string
  /** Sockets this user opens (the file's connections). */
  connections: number
  /** Cookies it starts with; login replies add theirs. */
  cookies: Record<string, string>
  tls: TlsPlan
  /** The HTTP requests made before connecting, rendered with what earlier ones captured. */
  login: Array<(captured: Captured) => HttpPlan>
  /** How each of its connections opens, rendered with what the login captured. */
  connection(captured: Captured): ConnectionPlan
  /** Step `index` of run `run` (1-based), rendered with what was captured before it. */
  step(run: number, index: number, captured: Captured): StepPlan
  steps: number
}

export interface PrepareOptions {
  users: number
  /** Replaces the file's url (the same file against another port). */
  url?: string
  /** Makes canaries unique to this invocation. Default: 8 random hex digits. */
  nonce?: string
  /** Replaces users.shareKey.groupSize (the CLI's --group-size). */
  groupSize?: number
  /** Where relative paths of the file (tls.ca) start: the target file's folder. Default: the working directory. */
  baseDir?: string
}

const BUILTIN = ['index', 'nonce', 'user_id', 'token', 'canary'] as const
// Letters, digits and _.:- survive JSON encoding unchanged, so a marker is found in the raw frame text.
const CANARY_SHAPE = /^[A-Za-z0-9_.:-]{6,200}$/
/** What a capture stands for while templates are checked, before anything has been captured. */
const placeholders = (names: Iterable<string>): Captured =>
  Object.fromEntries([...names].map((name) => [name, `captured-${name}`]))

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
  checkProtocolRules(file, problems)
  if (problems.length > 0) throw new TargetFileError(name, problems)
  const tls = attempt(() => readTls(file, options.baseDir))
  if (!tls) throw new TargetFileError(name, problems)
  const nonce = options.nonce ?? randomBytes(4).toString('hex')
  const users: PreparedUser[] = []
  for (let index = 1; index <= options.users && problems.length === 0; index++) {
    const user = attempt(() => prepareUser(file, options, index, nonce, tls))
    if (user) users.push(user)
  }
  if (problems.length === 0) checkUnique(users, file.users.ids !== undefined, problems)
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
  if (file.users.ids && file.users.ids.length < options.users)
    problems.push(
      `users.ids: lists ${file.users.ids.length} id(s) but --users is ${options.users}; add ids or use users.id`
    )
  if (file.canary.values && file.canary.values.length < options.users)
    problems.push(
      `canary.values: lists ${file.canary.values.length} marker(s) but --users is ${options.users}; add markers or use canary.template`
    )
  const sent: Array<JsonValue | undefined> = [
    file.start,
    file.heartbeat?.message,
    options.url ?? file.url,
    file.socketio?.auth,
    file.headers,
    file.cookies,
    ...(file.run ?? []).map(
      (step) => [step.send, step.sendText, step.emit, step.args, step.http] as JsonValue
    ),
    ...(file.login ?? [])
  ]
  if (file.auth) sent.push(file.auth.in === 'message' ? file.auth.message : file.auth.value)
  if (!sent.some((value) => mentionsVariable(value, 'canary')))
    problems.push(
      `${file.run ? 'run' : 'start'}: no template uses {{canary}}, so no user marker is ever sent; put {{canary}} in what a user sends (e.g. its message text)`
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

/** What each part of the file may not use under its protocol, named by field. */
function checkProtocolRules(file: TargetFile, problems: string[]): void {
  const steps = file.run ?? []
  // Under that rule a run is what one connection receives, so a second tab's copy would count as another run.
  if (file.connections > 1 && file.events.ownership === 'connection')
    problems.push(
      'connections: events.ownership "connection" tells runs apart per connection; use one connection, or ownership "ids" or "request"'
    )
  if (file.protocol === 'websocket') {
    if (file.socketio) problems.push('socketio: set "protocol": "socket.io" to use Socket.IO options')
    steps.forEach((step, index) => {
      if (step.emit !== undefined)
        problems.push(`run.${index}.emit: emit is a Socket.IO step; set "protocol": "socket.io", or use send`)
    })
    return
  }
  if (file.start !== undefined)
    problems.push(
      'start: a Socket.IO user starts a run with an emit step: "run": [{"emit": "...", "args": [...]}]'
    )
  if (file.auth?.in === 'message')
    problems.push('auth: a Socket.IO handshake carries auth in socketio.auth, e.g. {"token": "{{token}}"}')
  if (file.heartbeat) problems.push('heartbeat: Socket.IO keeps its own heartbeat; remove heartbeat')
  if (file.subprotocols) problems.push('subprotocols: Socket.IO does not negotiate subprotocols; remove them')
  steps.forEach((step, index) => {
    for (const key of ['send', 'sendText'] as const)
      if (step[key] !== undefined)
        problems.push(`run.${index}.${key}: a Socket.IO user emits events; use "emit" with "args"`)
  })
}

function readTls(file: TargetFile, baseDir: string | undefined): TlsPlan {
  const plan: TlsPlan = { ca: undefined, rejectUnauthorized: !(file.tls?.insecure ?? false) }
  if (file.tls?.ca === undefined) return plan
  const path = resolve(baseDir ?? process.cwd(), file.tls.ca)
  try {
    plan.ca = readFileSync(path, 'utf8')
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new TargetFileError('tls.ca', [
      `tls.ca: cannot read '${path}' (${reason}); give a PEM file, relative to the target file`
    ])
  }
  if (!plan.ca.includes('-----BEGIN CERTIFICATE-----'))
    throw new TargetFileError('tls.ca', [
      `tls.ca: '${path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)`
    ])
  return plan
}

function prepareUser(
  file: TargetFile,
  options: PrepareOptions,
  index: number,
  nonce: string,
  tls: TlsPlan
): PreparedUser {
  const base: Record<string, string> = { index: String(index), nonce }
  const userId = file.users.ids?.[index - 1] ?? renderTemplate('users.id', file.users.id, base)
  const withUser: TemplateVariables = { ...base, user_id: userId }
  const vars: Record<string, string> = { ...withUser }
  for (const [key, template] of Object.entries(file.users.vars))
    vars[key] = renderTemplate(`users.vars.${key}`, template, withUser)
  Object.assign(vars, shareKeyVariables(file, index, nonce, options.groupSize))
  vars.token = file.users.tokens?.[index - 1] ?? renderTemplate('users.token', file.users.token, vars)
  vars.canary =
    file.canary.values?.[index - 1] ?? renderTemplate('canary.template', file.canary.template, vars)
  const vs: TemplateVariables = vars
  const cookies = renderHeaders('cookies', file.cookies, vs)
  const loginSteps = file.login ?? []
  // Each template is rendered now with stand-ins for the captures it may use (those made before it), so an
  // unknown variable is reported before anything connects.
  const loginCaptures = new Set<string>()
  const login = loginSteps.map((step, at) => {
    renderHttp(`login.${at}`, step, withCaptured(vs, placeholders(loginCaptures)))
    for (const name of Object.keys(step.capture)) loginCaptures.add(name)
    return (captured: Captured) => renderHttp(`login.${at}`, step, withCaptured(vs, captured))
  })
  const shown = renderConnection(file, withCaptured(vs, placeholders(loginCaptures)), options.url)
  const runCaptures = new Set(loginCaptures)
  runStepsOf(file).forEach((step, at) => {
    renderStep(file, at, withCaptured({ ...vs, run: '1' }, placeholders(runCaptures)))
    for (const name of Object.keys({ ...step.capture, ...step.http?.capture })) runCaptures.add(name)
  })
  const requestIdSent = file.events.requestIdSent
  if (file.events.ownership === 'request' && requestIdSent !== undefined)
    renderTemplate(
      'events.requestIdSent',
      requestIdSent,
      withCaptured({ ...vs, run: '1' }, placeholders(runCaptures))
    )
  return {
    index,
    userId,
    canary: vars.canary,
    variables: vs,
    displayUrl: shown.displayUrl,
    connections: file.connections,
    cookies,
    tls,
    login,
    // Methods, not arrows given a name: under tsx each named closure costs a defineProperty and ~150 bytes a user.
    connection(captured) {
      // Without login steps nothing is captured before connecting: the plan rendered now is the one used then.
      return loginSteps.length === 0 ? shown : renderConnection(file, withCaptured(vs, captured), options.url)
    },
    step(run, at, captured) {
      return renderStep(file, at, withCaptured({ ...vs, run: String(run) }, captured))
    },
    steps: runStepsOf(file).length
  }
}

function checkUnique(users: PreparedUser[], listed: boolean, problems: string[]): void {
  const seen = new Map<string, number>()
  for (const user of users) {
    const other = seen.get(user.userId)
    if (other !== undefined)
      problems.push(
        listed
          ? `users.ids: lists '${user.userId}' for users ${other} and ${user.index}; each user needs an id of its own`
          : `users.id: renders '${user.userId}' for users ${other} and ${user.index}; include {{index}}`
      )
    seen.set(user.userId, user.index)
  }
  const firstWith = new Map<string, number>()
  for (const user of users) if (!firstWith.has(user.canary)) firstWith.set(user.canary, user.index)
  const partOf = containedMarkers([...firstWith.keys()])
  for (const user of users) {
    if (!CANARY_SHAPE.test(user.canary))
      problems.push(
        `canary: '${user.canary}' (user ${user.userId}) must be 6-200 letters, digits or _.:- so it survives JSON encoding`
      )
    const clash = partOf.get(user.canary)
    const twin = firstWith.get(user.canary) !== user.index
    if (clash || twin)
      problems.push(
        `canary: '${user.canary}' (user ${user.userId}) is ${twin ? 'repeated' : `part of '${clash}'`}; every marker must be unique and contain no other (end the template with {{nonce}})`
      )
  }
}

/**
 * Each marker that lies inside another, with one that holds it. Every window of another marker's length is looked
 * up, so 10,000 markers take milliseconds where comparing every pair took seconds.
 */
function containedMarkers(markers: readonly string[]): Map<string, string> {
  const known = new Set(markers)
  const lengths = [...new Set(markers.map((marker) => marker.length))].sort((a, b) => a - b)
  const partOf = new Map<string, string>()
  for (const marker of markers)
    for (const length of lengths) {
      if (length >= marker.length) break
      for (let at = 0; at + length <= marker.length; at++) {
        const window = marker.slice(at, at + length)
        if (known.has(window) && !partOf.has(window)) partOf.set(window, marker)
      }
    }
  return partOf
}
