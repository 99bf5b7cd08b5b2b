import type { TargetFile } from '../../shared/targetFile'
import type { JsonValue } from './jsonValue'
import { renderJsonTemplate, renderTemplate, type TemplateVariables } from './template'
import { TargetFileError } from './targetFileError'
import { credentialQueryNames } from './credentialQuery'

/** Values captured so far by a user's HTTP steps and acknowledgements, by name (used as {{captured.NAME}}). */
export type Captured = Readonly<Record<string, string>>

/** TLS options for sockets and HTTP steps: a CA to trust, or no verification at all. */
export interface TlsPlan {
  ca: string | undefined
  rejectUnauthorized: boolean
}

/** An HTTP request of one step, rendered. */
export interface HttpPlan {
  field: string
  method: string
  url: string
  headers: Record<string, string>
  body: string | null
  capture: Record<string, string>
}

/** How one connection of a user opens, rendered with the user's variables and the login's captures. */
export interface ConnectionPlan {
  protocol: 'websocket' | 'socket.io'
  url: string
  /** The url as shown in messages: a token passed in the query is masked. */
  displayUrl: string
  headers: Record<string, string>
  subprotocols: string[]
  /** Text sent first, once open, when auth is by message. */
  authMessage: string | null
  heartbeat: { everyMs: number; text: string } | null
  socketIo: {
    path: string
    namespace: string
    auth: Record<string, JsonValue> | undefined
    transports: Array<'websocket' | 'polling'>
    query: Record<string, string>
  } | null
}

/** One step of a run, rendered with `{{run}}` and everything captured before it. */
export type StepPlan =
  | { kind: 'send'; field: string; text: string }
  | {
      kind: 'emit'
      field: string
      event: string
      args: JsonValue[]
      ack: boolean
      capture: Record<string, string>
    }
  | { kind: 'http'; field: string; request: HttpPlan }

/** The run steps a file describes: `run` as written, or `start` as a single JSON send. */
export function runStepsOf(file: TargetFile): NonNullable<TargetFile['run']> {
  return file.run ?? [{ send: file.start ?? null }]
}

/** The user's variables plus `captured.NAME` for each capture. */
export function withCaptured(vars: TemplateVariables, captured: Captured): TemplateVariables {
  // Nothing captured (no login, no capturing step): the variables as they are, not a copy per render.
  if (Object.keys(captured).length === 0) return vars
  const all: Record<string, string> = { ...vars }
  for (const [name, value] of Object.entries(captured)) all[`captured.${name}`] = value
  return all
}

/** Renders an HTTP step (a login step, or a run's http step) and checks its url. */
export function renderHttp(
  field: string,
  step: NonNullable<TargetFile['login']>[number],
  vars: TemplateVariables
): HttpPlan {
  const url = renderTemplate(`${field}.url`, step.url, vars)
  checkUrl(`${field}.url`, url, ['http:', 'https:'], 'http://host:port/path or https://...')
  const own = renderHeaders(`${field}.headers`, step.headers, vars)
  let body: string | null = null
  if (step.json !== undefined) {
    body = JSON.stringify(renderJsonTemplate(`${field}.json`, step.json, vars))
    own['Content-Type'] ??= 'application/json'
  } else if (step.body !== undefined) body = renderTemplate(`${field}.body`, step.body, vars)
  return { field, method: step.method, url, headers: own, body, capture: step.capture }
}

export function renderHeaders(
  field: string,
  headers: Readonly<Record<string, string>>,
  vars: TemplateVariables
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, renderTemplate(`${field}.${name}`, value, vars)])
  )
}

/** Renders the connection of a user: where it goes, which headers and auth it carries. */
export function renderConnection(
  file: TargetFile,
  vars: TemplateVariables,
  urlOverride?: string
): ConnectionPlan {
  const socketIo = file.protocol === 'socket.io'
  const field = urlOverride === undefined ? 'url' : '--url'
  const text = renderTemplate(field, urlOverride ?? file.url, vars)
  const url = checkUrl(
    field,
    text,
    socketIo ? ['ws:', 'wss:', 'http:', 'https:'] : ['ws:', 'wss:'],
    socketIo ? 'http://host:port or https://... (the Socket.IO server)' : 'ws://host:port/path or wss://...'
  )
  const display = new URL(url)
  for (const name of credentialQueryNames(urlOverride ?? file.url))
    if (display.searchParams.has(name)) display.searchParams.set(name, '***')
  const headers = renderHeaders('headers', file.headers, vars)
  const query: Record<string, string> = {}
  let authMessage: string | null = null
  if (file.auth?.in === 'header')
    headers[file.auth.name] = renderTemplate('auth.value', file.auth.value, vars)
  if (file.auth?.in === 'query') {
    const value = renderTemplate('auth.value', file.auth.value, vars)
    if (socketIo) query[file.auth.name] = value
    else url.searchParams.set(file.auth.name, value)
    display.searchParams.set(file.auth.name, '***')
  }
  if (file.auth?.in === 'message')
    authMessage = JSON.stringify(renderJsonTemplate('auth.message', file.auth.message, vars))
  const heartbeat = file.heartbeat
    ? {
        everyMs: file.heartbeat.everyMs,
        text: JSON.stringify(renderJsonTemplate('heartbeat.message', file.heartbeat.message, vars))
      }
    : null
  const options = file.socketio
  const auth =
    options?.auth === undefined ? undefined : renderJsonTemplate('socketio.auth', options.auth, vars)
  if (auth !== undefined && (auth === null || typeof auth !== 'object' || Array.isArray(auth)))
    throw new TargetFileError('socketio.auth', [
      'socketio.auth: the handshake auth payload must be a JSON object, e.g. {"token": "{{token}}"}'
    ])
  return {
    protocol: file.protocol,
    url: url.toString(),
    displayUrl: display.toString(),
    headers,
    subprotocols: renderSubprotocols(file.subprotocols ?? [], vars),
    authMessage,
    heartbeat,
    socketIo: socketIo
      ? {
          path: options?.path ?? '/socket.io',
          namespace:
            options?.namespace === undefined
              ? url.pathname || '/'
              : renderTemplate('socketio.namespace', options.namespace, vars),
          auth,
          transports: options?.transports ?? ['websocket'],
          query
        }
      : null
  }
}

const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/** The subprotocols offered, rendered (a token in Sec-WebSocket-Protocol, as some servers take it) and still tokens. */
function renderSubprotocols(templates: readonly string[], vars: TemplateVariables): string[] {
  return templates.map((template, at) => {
    const field = `subprotocols.${at}`
    const value = renderTemplate(field, template, vars)
    // The value may be a token: never shown, only what it breaks.
    if (!HTTP_TOKEN.test(value))
      throw new TargetFileError(field, [
        `${field}: '${template}' renders to a value that is not an HTTP token (letters, digits and !#$%&'*+.^_\`|~- only, no spaces, '=' or '/'); encode the value (e.g. base64url) or send it in auth or headers`
      ])
    return value
  })
}

/** Renders step `index` of a run with the user's variables, `{{run}}` and the captures so far. */
export function renderStep(file: TargetFile, index: number, vars: TemplateVariables): StepPlan {
  const step = runStepsOf(file)[index]
  if (!step) throw new Error(`no run step ${index}`)
  const field = file.run ? `run.${index}` : 'start'
  if (step.http) return { kind: 'http', field, request: renderHttp(`${field}.http`, step.http, vars) }
  if (step.emit !== undefined)
    return {
      kind: 'emit',
      field,
      event: renderTemplate(`${field}.emit`, step.emit, vars),
      args: (step.args ?? []).map((arg, at) => renderJsonTemplate(`${field}.args.${at}`, arg, vars)),
      ack: step.ack ?? false,
      capture: step.capture ?? {}
    }
  if (step.sendText !== undefined)
    return { kind: 'send', field, text: renderTemplate(`${field}.sendText`, step.sendText, vars) }
  const sendField = file.run ? `${field}.send` : field
  return { kind: 'send', field, text: JSON.stringify(renderJsonTemplate(sendField, step.send ?? null, vars)) }
}

/** `text` parsed, if it is a URL of one of `protocols`; else a TargetFileError saying what was expected. */
function checkUrl(field: string, text: string, protocols: string[], expected: string): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new TargetFileError(field, [`${field}: '${text}' is not a URL; expected ${expected}`])
  }
  if (!protocols.includes(url.protocol))
    throw new TargetFileError(field, [
      `${field}: '${text}' uses ${url.protocol}; expected ${protocols.map((p) => `${p}//`).join(' or ')}`
    ])
  return url
}
