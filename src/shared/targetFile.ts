import { z } from 'zod'
import { AGENT_EVENT_TYPES, agentEventTypeSchema } from './agentEvents'

/**
 * The target file: how simulated users reach, authenticate to and talk with a WebSocket backend the developer
 * runs, and how to read who owns each event it sends back. JSON, documented in docs/target-mode.md;
 * docs/target.schema.json is generated from this file (scripts/targetSchema.ts).
 */

const TEMPLATE_HELP = 'text where {{name}} is replaced by a variable of the user (see docs/target-mode.md)'

export const templateSchema = z.string().max(10_000).describe(TEMPLATE_HELP)

/** A canary marker: letters, digits and _.:- survive JSON encoding unchanged, so a marker is found in raw frame text. */
export const CANARY_PATTERN = /^[A-Za-z0-9_.:-]{6,200}$/

const variableNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)

export const jsonValueSchema = z.json()

/** Any JSON value; every string inside it is a template. Sent as JSON text. */
export const jsonTemplateSchema = jsonValueSchema.describe(
  'any JSON value, sent as JSON text; every string in it is a template ({{name}})'
)

export const framePathSchema = z
  .string()
  .min(1)
  .max(500)
  .describe(
    'where a value is in an incoming frame: a JSON pointer ("/owner/user") or a dotted path ("owner.user")'
  )

export const authSchema = z
  .discriminatedUnion('in', [
    z.strictObject({
      in: z.literal('header'),
      name: z.string().min(1).max(200).describe('header name, e.g. "Authorization"'),
      value: templateSchema.describe('header value, e.g. "Bearer {{token}}"')
    }),
    z.strictObject({
      in: z.literal('query'),
      name: z.string().min(1).max(200).describe('query parameter name, e.g. "token"'),
      value: templateSchema.describe('parameter value, e.g. "{{token}}"')
    }),
    z.strictObject({
      in: z.literal('message'),
      message: jsonTemplateSchema.describe('the first message each user sends once the socket is open')
    })
  ])
  .describe('how each simulated user authenticates')
export type TargetAuth = z.infer<typeof authSchema>

/** Largest users.shareKey.groupSize, and what `--group-size`, MCP's group_size and the app's group size take. */
export const GROUP_SIZE_MAX = 10_000

export const targetUsersSchema = z
  .strictObject({
    id: templateSchema.default('user_{{index}}').describe('each user id; variables: index (1-based), nonce'),
    ids: z
      .array(z.string().min(1).max(500))
      .min(1)
      .optional()
      .describe(
        'one id per user, in order, instead of id (test accounts whose ids are not made from an index); --users may not exceed its length'
      ),
    tokens: z
      .array(z.string().max(10_000))
      .min(1)
      .optional()
      .describe('one token per user, in order; --users may not exceed its length'),
    token: templateSchema
      .default('')
      .describe('each user token when tokens is absent, e.g. "token-{{user_id}}"'),
    vars: z
      .record(variableNameSchema, templateSchema)
      .default({})
      .describe('more variables per user, e.g. {"room": "lobby"}; may use index, user_id and nonce'),
    shareKey: z
      .strictObject({
        var: variableNameSchema.describe('the variable the users share, e.g. "room"; not also in vars'),
        groupSize: z
          .number()
          .int()
          .min(1)
          .max(GROUP_SIZE_MAX)
          .describe('how many users share each value: users 1..k the first, k+1..2k the next; 1 = unique'),
        value: templateSchema
          .default('shared-{{group}}-{{nonce}}')
          .describe('the shared value; may use group (1-based) and nonce')
      })
      .optional()
      .describe(
        'a key (room, conversation, topic) shared by users in groups of groupSize, so that a manager cached per key shows its bug when users collide on it'
      )
  })
  .describe('who the simulated users are')

export const canarySchema = z
  .strictObject({
    template: templateSchema
      .default('si-canary-{{index}}-{{nonce}}')
      .describe('each user marker; may use index, user_id, nonce and vars'),
    values: z
      .array(
        z
          .string()
          .regex(CANARY_PATTERN, 'a marker is 6-200 letters, digits or _.:- (so it survives JSON encoding)')
      )
      .min(1)
      .optional()
      .describe('one marker per user, in order, instead of template')
  })
  .describe(
    'a unique marker per user ({{canary}}), placed in what that user sends; seen in another user stream, it is a leak'
  )

export const heartbeatSchema = z.strictObject({
  everyMs: z.number().int().min(100).max(600_000).describe('interval between heartbeats'),
  message: jsonTemplateSchema.describe('what each user sends every everyMs')
})

export const eventReadingSchema = z
  .strictObject({
    type: z
      .union([framePathSchema, z.array(framePathSchema).min(1).max(10)])
      .default('type')
      .describe(
        'where a frame type is; or a list of paths tried in order, the first that holds a type wins (frames that keep it in different places, as graphql-transport-ws does)'
      ),
    userId: framePathSchema.default('user_id').describe('where the owner user id is'),
    runId: framePathSchema.default('run_id').describe('where the owner run id is'),
    threadId: framePathSchema.optional().describe('where the owner thread id is (optional, shown only)'),
    eventId: framePathSchema.optional().describe('where an event id is (optional, shown only)'),
    emittedAt: framePathSchema
      .optional()
      .describe(
        'where the server send time is: a number of ms since the epoch, or a date string such as ISO 8601 (optional: latency is then measured from it)'
      ),
    types: z
      .partialRecord(agentEventTypeSchema, z.string().min(1).max(200))
      .default(Object.fromEntries(AGENT_EVENT_TYPES.map((type) => [type, type])))
      .describe(
        'the expected sequence per run: for each agent event role, the type the backend uses; a role left out is not expected'
      ),
    ignore: z
      .array(z.string().min(1).max(200))
      .default([])
      .describe('frame types that are not agent events (acks, pongs): counted, never audited'),
    errorType: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('the type of the server error frames, shown as errors'),
    ownership: z
      .enum(['ids', 'request', 'connection'])
      .default('ids')
      .describe(
        'who owns an event: "ids", read at userId and runId; "request", the user who sent the request id read at requestId; "connection", the user whose connection it arrived on (see docs/target-mode.md)'
      ),
    requestId: framePathSchema
      .optional()
      .describe(
        'ownership "request": where a frame carries the id of the request it answers, e.g. "/reply_to"'
      ),
    requestIdSent: templateSchema
      .optional()
      .describe(
        'ownership "request": the id each request carries as the user sends it, the same template as in start, e.g. "q-{{user_id}}-{{run}}"; may use run, the user variables and captures ({{captured.job}})'
      )
  })
  .superRefine((events, context) => {
    if (events.ownership !== 'request') return
    const needs = {
      requestId: 'where a frame carries the id of the request it answers, e.g. "/reply_to"',
      requestIdSent: 'the id as each user sends it, e.g. "q-{{user_id}}-{{run}}"'
    } as const
    for (const field of ['requestId', 'requestIdSent'] as const)
      if (events[field] === undefined)
        context.addIssue({
          code: 'custom',
          path: [field],
          message: `ownership "request" needs ${field}: ${needs[field]}`
        })
  })
  .describe('how to read an incoming frame')

export const timeoutsSchema = z
  .strictObject({
    connectMs: z
      .number()
      .int()
      .min(100)
      .max(120_000)
      .default(5_000)
      .describe('per user: open the socket (and get the ready frame)'),
    runMs: z
      .number()
      .int()
      .min(100)
      .max(3_600_000)
      .default(30_000)
      .describe('all runs, from the first start message to the last expected event'),
    settleMs: z
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(250)
      .describe(
        'after the runs finish, how long a quiet stream must stay quiet before the verdict (late leaks)'
      ),
    ackMs: z
      .number()
      .int()
      .min(100)
      .max(600_000)
      .default(10_000)
      .describe('per step: an HTTP reply, or a Socket.IO acknowledgement')
  })
  .describe('bounds on waiting')

/** Bounds of the load shape's fields: the same in the file, for the CLI's flags and for MCP's run_target. */
export const LOAD_BOUNDS = {
  rampUpMs: { min: 0, max: 3_600_000 },
  arrivalRate: { min: 0.01, max: 100_000 },
  thinkTimeMs: { min: 0, max: 3_600_000 },
  connectConcurrency: { min: 1, max: 10_000 }
} as const

/** `number` within LOAD_BOUNDS[field]. */
const withinLoadBounds = (field: keyof typeof LOAD_BOUNDS, number: z.ZodNumber): z.ZodNumber =>
  number.min(LOAD_BOUNDS[field].min).max(LOAD_BOUNDS[field].max)

/** How users arrive and pace their runs (docs/target-mode.md, "Load shape"); every field has a CLI flag too. */
export const loadShapeSchema = z
  .strictObject({
    rampUpMs: withinLoadBounds('rampUpMs', z.number().int())
      .optional()
      .describe('users arrive evenly over this many ms, each starting its runs once connected'),
    arrivalRate: withinLoadBounds('arrivalRate', z.number())
      .optional()
      .describe('users arrive at this many per second, each starting its runs once connected'),
    thinkTimeMs: withinLoadBounds('thinkTimeMs', z.number().int())
      .optional()
      .describe("a user's runs go one at a time, the next this many ms after the user saw the last one end"),
    connectConcurrency: withinLoadBounds('connectConcurrency', z.number().int())
      .default(200)
      .describe('users connecting (login, handshake, ready frame) at the same moment, at most')
  })
  .refine((load) => load.rampUpMs === undefined || load.arrivalRate === undefined, {
    path: ['arrivalRate'],
    message: 'give rampUpMs or arrivalRate, not both'
  })
  .describe('the load shape: how users arrive and pace their runs; default: all at once')
export type LoadShape = z.infer<typeof loadShapeSchema>

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Values read from a JSON reply or an acknowledgement into {{captured.NAME}}, by frame path. */
export const captureSchema = z
  .record(
    z.string().regex(VARIABLE_NAME, 'a capture name is letters, digits and _ (it becomes {{captured.NAME}})'),
    framePathSchema
  )
  .describe(
    'variables read from the reply: {"job": "/jobId"} makes {{captured.job}}; a JSON pointer or dotted path, to a string, number or boolean'
  )

const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'a header name is an HTTP token')

export const headersSchema = z
  .record(headerName, templateSchema)
  .describe('more headers, name to templated value, e.g. {"X-Tenant": "{{room}}"}')

export const httpStepSchema = z
  .strictObject({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST').describe('HTTP method'),
    url: templateSchema.describe('http:// or https:// URL, templated'),
    headers: headersSchema.default({}),
    json: jsonTemplateSchema
      .optional()
      .describe('a JSON body (every string templated), sent with Content-Type: application/json'),
    body: templateSchema.optional().describe('a text body, templated, sent as written (instead of json)'),
    capture: captureSchema.default({})
  })
  .refine((step) => step.json === undefined || step.body === undefined, {
    message: 'give json or body, not both',
    path: ['body']
  })
  .describe(
    'an HTTP request made by each user; a reply other than 2xx or 3xx (not followed) stops that user (before connecting) or that run. Set-Cookie replies go to the user cookie jar'
  )
export type HttpStep = z.infer<typeof httpStepSchema>

export const runStepSchema = z
  .strictObject({
    send: jsonTemplateSchema.optional().describe('WebSocket: a JSON value sent as JSON text'),
    sendText: templateSchema
      .optional()
      .describe('WebSocket: a text frame sent as written (not JSON-encoded)'),
    emit: templateSchema.optional().describe('Socket.IO: the event name to emit'),
    args: z
      .array(jsonTemplateSchema)
      .max(20)
      .optional()
      .describe('Socket.IO: the arguments of emit, each any JSON value (strings templated)'),
    ack: z
      .boolean()
      .optional()
      .describe('Socket.IO: wait for the acknowledgement (timeouts.ackMs) before the next step'),
    http: httpStepSchema.optional().describe('an HTTP request (e.g. POST /runs that starts the run)'),
    capture: captureSchema
      .optional()
      .describe(
        'emit with ack only: variables read from the acknowledgement (its only argument, or the array of its arguments)'
      )
  })
  .superRefine((step, context) => {
    const kinds = (['send', 'sendText', 'emit', 'http'] as const).filter((key) => step[key] !== undefined)
    if (kinds.length !== 1)
      context.addIssue({
        code: 'custom',
        message: `a step does exactly one thing: give one of send, sendText, emit or http${kinds.length > 1 ? ` (got ${kinds.join(' and ')})` : ''}`
      })
    for (const key of ['args', 'ack', 'capture'] as const)
      if (step[key] !== undefined && step.emit === undefined)
        context.addIssue({ code: 'custom', path: [key], message: `${key} belongs to an emit step` })
    if (step.capture !== undefined && step.ack !== true)
      context.addIssue({
        code: 'custom',
        path: ['capture'],
        message: 'capture reads the acknowledgement: add "ack": true'
      })
  })
  .describe('one step of a run: send, sendText, emit (Socket.IO) or http')
export type RunStep = z.infer<typeof runStepSchema>

export const socketIoSchema = z
  .strictObject({
    path: z
      .string()
      .regex(/^\//, 'the path starts with /')
      .max(500)
      .default('/socket.io')
      .describe('the server path option (Engine.IO endpoint)'),
    namespace: templateSchema
      .optional()
      .describe('the namespace to connect to, e.g. "/chat"; default: the path of url, else "/"'),
    auth: jsonTemplateSchema
      .optional()
      .describe('the handshake auth payload (socket.handshake.auth), e.g. {"token": "{{token}}"}'),
    transports: z
      .array(z.enum(['websocket', 'polling']))
      .min(1)
      .default(['websocket'])
      .describe('Engine.IO transports in the order tried; default websocket only')
  })
  .describe('Socket.IO options (protocol "socket.io")')

export const tlsSchema = z
  .strictObject({
    ca: z
      .string()
      .min(1)
      .max(1_000)
      .optional()
      .describe('a PEM file of the certificate authority to trust (path relative to the target file)'),
    insecure: z
      .boolean()
      .default(false)
      .describe('accept any certificate (local self-signed certificates only): the server is not verified')
  })
  .describe('TLS for wss://, https:// and the HTTP steps')

export const targetFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    description: z.string().max(5_000).optional(),
    protocol: z
      .enum(['websocket', 'socket.io'])
      .default('websocket')
      .describe('plain WebSocket frames, or Socket.IO v4 (socket.io-client) events'),
    url: templateSchema.describe(
      'websocket: ws:// or wss://; socket.io: the server, http(s):// or ws(s)://; may use the user variables'
    ),
    socketio: socketIoSchema.optional(),
    headers: headersSchema.default({}).describe('more handshake headers (and on the HTTP steps), templated'),
    cookies: z
      .record(
        z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'a cookie name is an HTTP token'),
        templateSchema
      )
      .default({})
      .describe('cookies each user starts with, name to templated value; login replies add theirs'),
    subprotocols: z
      .array(
        z
          .string()
          .regex(
            /^(?:[!#$%&'*+.^_`|~0-9A-Za-z-]|\{\{\s*[^{}\s]*\s*\}\})+$/,
            'a subprotocol is an HTTP token (letters, digits and !#$%&\'*+.^_`|~-), templates allowed, e.g. "token.{{token}}"'
          )
      )
      .min(1)
      .max(10)
      .optional()
      .describe(
        'websocket: Sec-WebSocket-Protocol values offered, templated, e.g. ["graphql-transport-ws"] or ["chat.v2", "token.{{token}}"]'
      ),
    tls: tlsSchema.optional(),
    connections: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(1)
      .describe("sockets per user (browser tabs): each must get all of the user's events and no one else's"),
    login: z
      .array(httpStepSchema)
      .max(10)
      .optional()
      .describe('HTTP requests each user makes, in order, before connecting: keep cookies, capture a token'),
    users: targetUsersSchema.default({ id: 'user_{{index}}', token: '', vars: {} }),
    auth: authSchema.optional(),
    ready: z
      .strictObject({ type: z.string().min(1).max(200) })
      .optional()
      .describe('a user is connected once a frame of this type arrives (e.g. a welcome); default: once open'),
    start: jsonTemplateSchema
      .optional()
      .describe('what a user sends (JSON) to start a run; may also use {{run}} (1-based); or give run'),
    run: z
      .array(runStepSchema)
      .min(1)
      .max(20)
      .optional()
      .describe('the steps of one run, in order, instead of start; may use {{run}} and earlier captures'),
    heartbeat: heartbeatSchema.optional(),
    events: eventReadingSchema.default({
      type: 'type',
      userId: 'user_id',
      runId: 'run_id',
      types: Object.fromEntries(AGENT_EVENT_TYPES.map((type) => [type, type])),
      ignore: [],
      ownership: 'ids'
    }),
    canary: canarySchema.default({ template: 'si-canary-{{index}}-{{nonce}}' }),
    timeouts: timeoutsSchema.default({ connectMs: 5_000, runMs: 30_000, settleMs: 250, ackMs: 10_000 }),
    load: loadShapeSchema.default({ connectConcurrency: 200 })
  })
  // Checked even when other fields are wrong, so a file missing both hears about it with the rest.
  .refine((file) => file.start !== undefined || file.run !== undefined, {
    path: ['start'],
    message: 'required, but missing: give start (what a user sends) or run (the steps of a run)',
    when: (payload) => isObject(payload.value)
  })
  .refine((file) => file.start === undefined || file.run === undefined, {
    path: ['run'],
    message: 'give start or run, not both',
    when: (payload) => isObject(payload.value)
  })
  .describe('Session Inspector target file: see docs/target-mode.md')
export type TargetFile = z.infer<typeof targetFileSchema>

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
export type TargetFileInput = z.input<typeof targetFileSchema>
