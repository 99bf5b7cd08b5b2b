import { z } from 'zod'
import { AGENT_EVENT_TYPES, agentEventTypeSchema } from './agentEvents'

/**
 * The target file: how simulated users reach, authenticate to and talk with a WebSocket backend the developer
 * runs, and how to read who owns each event it sends back. JSON, documented in docs/target-mode.md;
 * docs/target.schema.json is generated from this file (scripts/targetSchema.ts).
 */

const TEMPLATE_HELP = 'text where {{name}} is replaced by a variable of the user (see docs/target-mode.md)'

export const templateSchema = z.string().max(10_000).describe(TEMPLATE_HELP)

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

export const targetUsersSchema = z
  .strictObject({
    id: templateSchema.default('user_{{index}}').describe('each user id; variables: index (1-based), nonce'),
    tokens: z
      .array(z.string().max(10_000))
      .min(1)
      .optional()
      .describe('one token per user, in order; --users may not exceed its length'),
    token: templateSchema
      .default('')
      .describe('each user token when tokens is absent, e.g. "token-{{user_id}}"'),
    vars: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), templateSchema)
      .default({})
      .describe('more variables per user, e.g. {"room": "lobby"}; may use index, user_id and nonce')
  })
  .describe('who the simulated users are')

export const canarySchema = z
  .strictObject({
    template: templateSchema
      .default('si-canary-{{index}}-{{nonce}}')
      .describe('each user marker; may use index, user_id, nonce and vars'),
    values: z
      .array(z.string())
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
    type: framePathSchema.default('type').describe('where a frame type is'),
    userId: framePathSchema.default('user_id').describe('where the owner user id is'),
    runId: framePathSchema.default('run_id').describe('where the owner run id is'),
    threadId: framePathSchema.optional().describe('where the owner thread id is (optional, shown only)'),
    eventId: framePathSchema.optional().describe('where an event id is (optional, shown only)'),
    emittedAt: framePathSchema
      .optional()
      .describe(
        'where the server send time is, in ms since the epoch (optional: latency is then measured from it)'
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
      .describe('the type of the server error frames, shown as errors')
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
      )
  })
  .describe('bounds on waiting')

export const targetFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    description: z.string().max(5_000).optional(),
    url: templateSchema.describe('the WebSocket URL, ws:// or wss://; may use the user variables'),
    users: targetUsersSchema.default({ id: 'user_{{index}}', token: '', vars: {} }),
    auth: authSchema.optional(),
    ready: z
      .strictObject({ type: z.string().min(1).max(200) })
      .optional()
      .describe('a user is connected once a frame of this type arrives (e.g. a welcome); default: once open'),
    start: jsonTemplateSchema.describe('what a user sends to start a run; may also use {{run}} (1-based)'),
    heartbeat: heartbeatSchema.optional(),
    events: eventReadingSchema.default({
      type: 'type',
      userId: 'user_id',
      runId: 'run_id',
      types: Object.fromEntries(AGENT_EVENT_TYPES.map((type) => [type, type])),
      ignore: []
    }),
    canary: canarySchema.default({ template: 'si-canary-{{index}}-{{nonce}}' }),
    timeouts: timeoutsSchema.default({ connectMs: 5_000, runMs: 30_000, settleMs: 250 })
  })
  .describe('Session Inspector target file: see docs/target-mode.md')
export type TargetFile = z.infer<typeof targetFileSchema>
export type TargetFileInput = z.input<typeof targetFileSchema>
