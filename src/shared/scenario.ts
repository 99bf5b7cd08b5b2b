import { z } from 'zod'
import { faultNameSchema } from './faults'
import { inspectionEventSchema, startupPhaseSchema, type InspectionKind } from './inspection'

export * from './scenarioResult'

/**
 * The scenario format: a post-mortem written as a system that the real runtime boots with a fault, the
 * expectations its failure must meet, the change that fixes it, and five whys whose evidence is a step of the
 * recorded trace. Scenario files are JSON; scenarios/schema/scenario.schema.json is generated from this file.
 */

// ---- the modelled backend (mirrors src/main/runtime/startup, which parses it again when a runtime starts) ----

export const scenarioCallSchema = z.discriminatedUnion('op', [
  z
    .strictObject({ op: z.literal('get_websocket_manager') })
    .describe('get_websocket_manager() with no context'),
  z
    .strictObject({
      op: z.literal('create_websocket_manager'),
      style: z.enum(['positional', 'keyword']),
      context: z.enum(['none', 'request', 'models_path'])
    })
    .describe('create_websocket_manager(...) with this argument style and context source'),
  z.strictObject({ op: z.literal('get_websocket_manager_factory') }).describe('checks the factory exists'),
  z
    .strictObject({ op: z.literal('defer'), factory: z.string().min(1).optional() })
    .describe(
      'nothing now: creation is deferred to request time; with factory, a deferred factory of that name is ' +
        'registered and creates on first use, once a run brings a context'
    )
])

export const scenarioEffectSchema = z.strictObject({
  site: z.string().min(1).describe('file:line as the report cites it, e.g. "agent_service_factory.py:14"'),
  code: z.string().min(1).describe('the source line, e.g. "manager = get_websocket_manager()"'),
  call: scenarioCallSchema
})
export type ScenarioEffect = z.infer<typeof scenarioEffectSchema>

export const scenarioModuleSchema = z.strictObject({
  name: z.string().min(1),
  path: z.string().optional(),
  imports: z.array(z.string()).default([]),
  effects: z.array(scenarioEffectSchema).default([]).describe('lines that run when the module is imported'),
  tests: z
    .array(z.string())
    .default([])
    .describe('test functions, blocked when the module cannot be imported')
})

export const scenarioModuleGraphSchema = z
  .strictObject({
    modules: z.array(scenarioModuleSchema).min(1),
    entries: z.array(z.string()).min(1).describe('imported in this order at INITIALIZATION')
  })
  .superRefine((graph, ctx) => {
    const names = new Set(graph.modules.map((module) => module.name))
    graph.modules.forEach((module, index) =>
      module.imports.forEach((name, at) => {
        if (!names.has(name)) {
          ctx.addIssue({
            code: 'custom',
            path: ['modules', index, 'imports', at],
            message: `module '${module.name}' imports '${name}', which is not in modules; add it or remove the import`
          })
        }
      })
    )
    graph.entries.forEach((name, index) => {
      if (!names.has(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['entries', index],
          message: `entry '${name}' is not in modules`
        })
      }
    })
  })
export type ScenarioModuleGraph = z.infer<typeof scenarioModuleGraphSchema>

export const scenarioHookSchema = z.strictObject({
  phase: startupPhaseSchema.exclude(['initialization']),
  effect: scenarioEffectSchema
})

/** How app.state and the compatibility layer are wired; each choice maps onto the runtime's faults. */
export const wiringSchema = z.strictObject({
  legacyWrapper: z
    .enum(['strict', 'passthrough'])
    .optional()
    .describe(
      'get_websocket_manager() without a context: strict refuses, passthrough hands None to the factory'
    ),
  websocketManager: z
    .enum(['per_user', 'shared_singleton'])
    .optional()
    .describe('shared_singleton: one manager for every connection (fault shared_singleton_manager)'),
  executionEngineFactory: z
    .strictObject({
      websocketBridge: z.enum(['injected', 'missing']),
      failFast: z
        .boolean()
        .default(true)
        .describe("ADR-001's guard: refuse a missing bridge at CONFIGURATION")
    })
    .optional(),
  startupHooks: z
    .array(scenarioHookSchema)
    .optional()
    .describe('lines run during a start-up phase: configuration, integration or readiness'),
  websocketManagerFactory: z
    .enum(['registered', 'missing'])
    .optional()
    .describe('whether get_websocket_manager_factory() finds a factory; missing raises RuntimeError'),
  agentWebSocketBridge: z
    .enum(['shared', 'per_user'])
    .optional()
    .describe(
      "ADR-001's designs, shown in the trace: one bridge created at start-up in app.state for every user, or a " +
        'bridge factory in app.state and a bridge and tool dispatcher per user (SupervisorFactory)'
    ),
  contextIds: z
    .strictObject({
      creator: z.enum(['deprecated', 'request_scoped']),
      connectionRunIds: z.enum(['generator', 'uuid4']),
      runThreads: z.enum(['connection', 'fresh'])
    })
    .optional()
    .describe('how contexts get their ids; finer than the malformed_ids fault'),
  handlerSites: z
    .array(z.strictObject({ site: z.string().min(1), code: z.string().min(1) }))
    .min(1)
    .optional()
    .describe("agent_handler.py's call sites of create_websocket_manager, taken in turn by runs")
})
export type Wiring = z.infer<typeof wiringSchema>

export const usersSchema = z.strictObject({
  ids: z
    .array(z.string().min(1).max(200))
    .max(20)
    .default([])
    .describe('connected one after another, all stay connected'),
  runsEach: z
    .number()
    .int()
    .min(0)
    .max(10)
    .default(1)
    .describe('runs each user starts, round-robin, one at a time')
})

export const checkSchema = z.strictObject({
  name: z.string().min(1).describe('e.g. the compliance test this call stands for'),
  effect: scenarioEffectSchema,
  expect: z.enum(['ok', 'raises']),
  error: z.string().optional().describe('text the raised error must contain')
})
export type Check = z.infer<typeof checkSchema>

export const fixtureSchema = z.strictObject({
  name: z.string().min(1).describe('the fixture function, e.g. "websocket_manager"'),
  modules: z.array(z.string().min(1)).min(1).describe('modules whose tests take this fixture'),
  setup: scenarioEffectSchema.describe(
    "the fixture's body: a create_websocket_manager call with the context it builds; teardown closes the manager"
  )
})
export type Fixture = z.infer<typeof fixtureSchema>

export const systemSchema = z.strictObject({
  moduleGraph: scenarioModuleGraphSchema.optional().describe("omitted: the runtime's default backend graph"),
  wiring: wiringSchema.default({}),
  faults: z.array(faultNameSchema).default([]),
  users: usersSchema.default({ ids: [], runsEach: 0 }),
  checks: z.array(checkSchema).default([]).describe('calls made on the runtime once it is ready'),
  fixtures: z
    .array(fixtureSchema)
    .default([])
    .describe('per-test fixtures: each collected test of their modules runs once the runtime is ready')
})
export type ScenarioSystem = z.infer<typeof systemSchema>

/** A change of wiring, faults, code or users, applied on top of another system. */
export const changeSchema = z.strictObject({
  faults: z.array(faultNameSchema).optional().describe('replaces the fault set'),
  wiring: wiringSchema.optional().describe('merged key by key over the base wiring'),
  moduleGraph: scenarioModuleGraphSchema.optional().describe('replaces the whole graph'),
  effects: z
    .array(
      z.strictObject({
        site: z.string().min(1).describe('every effect and start-up hook with this site is replaced'),
        with: z.array(scenarioEffectSchema).describe('the replacement lines; [] removes them')
      })
    )
    .optional(),
  users: usersSchema.optional(),
  checks: z.array(checkSchema).optional(),
  fixtures: z.array(fixtureSchema).optional().describe('replaces the fixtures')
})
export type ScenarioChange = z.infer<typeof changeSchema>

// ---- trace predicates ----

const INSPECTION_KINDS = inspectionEventSchema.options.map((option) => option.shape.kind.value) as [
  InspectionKind,
  ...InspectionKind[]
]
export const inspectionKindSchema = z.enum(INSPECTION_KINDS)

/** The fields a `where` may name for each kind, so a typo is caught when the file loads, not when a run fails. */
export const EVENT_FIELDS: Record<InspectionKind, string[]> = Object.fromEntries(
  inspectionEventSchema.options.map((option) => [option.shape.kind.value, Object.keys(option.shape)])
) as Record<InspectionKind, string[]>

const scalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()])
export const valueMatcherSchema = z.union([
  scalarSchema.describe('equal to this value'),
  z.array(scalarSchema).describe('an array field equal to this array'),
  z.strictObject({ contains: z.string() }),
  z.strictObject({ startsWith: z.string() }),
  z.strictObject({
    matches: z.string().refine(isRegExp, { error: 'not a valid regular expression' })
  }),
  z.strictObject({ oneOf: z.array(scalarSchema).min(1) }),
  z.strictObject({ not: scalarSchema }),
  z.strictObject({ includes: scalarSchema }).describe('an array field holding this element'),
  z.strictObject({ sameAs: z.string() }).describe('equal to another field of the same event')
])
export type ValueMatcher = z.infer<typeof valueMatcherSchema>

const eventFilterShape = {
  kind: inspectionKindSchema,
  where: z
    .record(z.string(), valueMatcherSchema)
    .default({})
    .describe('dotted field paths of the event, e.g. "error.message", each with a matcher')
}
export const eventFilterSchema = z.strictObject(eventFilterShape).superRefine(checkWherePaths)
export type EventFilter = z.infer<typeof eventFilterSchema>

export const eventMatchSchema = z
  .strictObject({
    ...eventFilterShape,
    after: eventFilterSchema.optional().describe('only events after the first event matching this'),
    before: eventFilterSchema.optional().describe('only events before the first event matching this')
  })
  .superRefine(checkWherePaths)
export type EventMatch = z.infer<typeof eventMatchSchema>

/** Bounds on a number: min and max include the bound, above and below exclude it. */
const boundsOf = <T extends z.ZodNumber>(value: T) =>
  z.strictObject({
    min: value.optional().describe('at least'),
    max: value.optional().describe('at most'),
    above: value.optional().describe('more than'),
    below: value.optional().describe('less than')
  })

const countSchema = z.union([
  z.number().int().min(0).describe('exactly this many'),
  boundsOf(z.number().int().min(0))
])
export type CountSpec = z.infer<typeof countSchema>

const measureSchema = boundsOf(z.number().min(0))
export type MeasureSpec = z.infer<typeof measureSchema>

// ---- expectations ----

const label = z.string().min(1).optional().describe('what this expectation stands for, shown in reports')
export const expectationSchema = z.discriminatedUnion('expect', [
  z.strictObject({
    expect: z.literal('startup'),
    label,
    state: z.enum(['ready', 'failed']),
    phase: startupPhaseSchema.optional(),
    error: z
      .strictObject({
        type: z.string().optional(),
        message: z.string().optional().describe('the exact message'),
        site: z.string().optional(),
        chain: z.array(z.string()).optional().describe('the exact import or call chain')
      })
      .optional()
  }),
  z.strictObject({
    expect: z.literal('events'),
    label,
    match: eventMatchSchema,
    count: countSchema.default({ min: 1 })
  }),
  z.strictObject({
    expect: z.literal('sequence'),
    label,
    steps: z.array(eventMatchSchema).min(2).describe('events that occur in this order')
  }),
  z.strictObject({
    expect: z.literal('tests'),
    label,
    blocked: z.union([z.literal('all'), countSchema]).optional(),
    collected: z.union([z.literal('all'), countSchema]).optional(),
    passed: z
      .union([z.literal('all'), countSchema])
      .optional()
      .describe('tests run in a per-test fixture that passed ("all": every one run)'),
    failed: z.union([z.literal('all'), countSchema]).optional(),
    names: z
      .strictObject({
        blocked: z.array(z.string()).optional(),
        collected: z.array(z.string()).optional(),
        passed: z.array(z.string()).optional(),
        failed: z.array(z.string()).optional()
      })
      .optional()
  }),
  z.strictObject({
    expect: z.literal('latency'),
    label,
    percentile: z.number().gt(0).max(100).describe('e.g. 99 for p99, nearest rank'),
    per: z
      .enum(['user', 'all'])
      .default('user')
      .describe("user: each receiving user's own deliveries must meet it; all: every delivery together"),
    ms: measureSchema.describe('delivery latency in milliseconds, e.g. { "below": 500 }')
  }),
  z.strictObject({
    expect: z.literal('users'),
    label,
    connectedAtOnce: countSchema.describe('the most users connected at the same time, e.g. { "min": 10 }')
  }),
  z.strictObject({
    expect: z.literal('checks'),
    label,
    pass: z.union([z.literal('all'), z.array(z.string()).min(1)])
  }),
  z.strictObject({
    expect: z.literal('runs'),
    label,
    completed: countSchema.optional(),
    refused: countSchema.optional(),
    refusal: z.string().optional().describe('text every refusal must contain')
  })
])
export type Expectation = z.infer<typeof expectationSchema>

// ---- the scenario ----

const runName = z.string().min(1).describe('"failure", "fixed" or a variant id')

export const whySchema = z.strictObject({
  question: z.string().min(1),
  answer: z.string().min(1),
  evidence: z.strictObject({
    run: runName,
    match: eventMatchSchema,
    occurrence: z
      .union([z.enum(['first', 'last']), z.number().int().min(1)])
      .default('first')
      .describe('which matching event marks the step'),
    contrast: z
      .strictObject({
        run: runName
          .optional()
          .describe('the run to compare with; default: fixed for a failing run, failure for the fixed run'),
        differs: z
          .array(z.string().min(1))
          .min(1)
          .optional()
          .describe(
            'dotted field paths that must differ between the step and the same occurrence in the other run, ' +
              'e.g. ["manager_id"]: "the same step, a different manager"'
          )
      })
      .optional()
      .describe(
        'how the evidence tells the two runs apart. Without differs, nothing in the other run may match; ' +
          'with it, the other run may have the step, but these fields must differ'
      )
  })
})
export type Why = z.infer<typeof whySchema>

export const variantSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes, e.g. "missing-bridge"')
    .refine((id) => id !== 'failure' && id !== 'fixed', {
      error: "'failure' and 'fixed' name the main runs"
    }),
  title: z.string().min(1),
  summary: z.string().min(1),
  base: z.enum(['failure', 'fixed']).describe('the system this variant changes'),
  change: changeSchema,
  expect: z.array(expectationSchema).min(1)
})
export type Variant = z.infer<typeof variantSchema>

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes, e.g. "missing-bridge"'),
    title: z.string().min(1),
    source: z.strictObject({
      report: z.string().min(1).describe('the report file, e.g. "000_423f3b21dc96dd2d.txt"'),
      title: z.string().min(1)
    }),
    summary: z.string().min(1),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(1),
    system: systemSchema.describe('the system as it was when it failed'),
    failure: z.strictObject({
      expect: z.array(expectationSchema).min(1).describe('what the failure must show')
    }),
    fix: z.strictObject({
      summary: z.string().min(1),
      change: changeSchema,
      expect: z.array(expectationSchema).min(1).describe('what the fixed system must show')
    }),
    variants: z.array(variantSchema).default([]).describe('other failing systems the report also describes'),
    whys: z.array(whySchema).length(5, {
      error: (issue) =>
        `expected exactly five whys, found ${Array.isArray(issue.input) ? issue.input.length : 'none'}`
    })
  })
  .superRefine((scenario, ctx) => {
    const runs = new Set(['failure', 'fixed'])
    scenario.variants.forEach((variant, index) => {
      if (runs.has(variant.id))
        ctx.addIssue({
          code: 'custom',
          path: ['variants', index, 'id'],
          message: `duplicate run id '${variant.id}'`
        })
      runs.add(variant.id)
    })
    scenario.whys.forEach((why, index) => {
      if (!runs.has(why.evidence.run)) {
        ctx.addIssue({
          code: 'custom',
          path: ['whys', index, 'evidence', 'run'],
          message: `run '${why.evidence.run}' does not exist; expected one of ${[...runs].join(', ')}`
        })
      }
      const contrastRun = why.evidence.contrast?.run
      if (contrastRun !== undefined && (!runs.has(contrastRun) || contrastRun === why.evidence.run)) {
        ctx.addIssue({
          code: 'custom',
          path: ['whys', index, 'evidence', 'contrast', 'run'],
          message: `run '${contrastRun}' cannot be compared with '${why.evidence.run}'; expected another of ${[...runs].join(', ')}`
        })
      }
    })
  })
export type Scenario = z.infer<typeof scenarioSchema>
export type ScenarioInput = z.input<typeof scenarioSchema>

function isRegExp(source: string): boolean {
  try {
    new RegExp(source)
    return true
  } catch {
    return false
  }
}

function checkWherePaths(
  filter: { kind: InspectionKind; where: Record<string, unknown> },
  ctx: z.RefinementCtx
): void {
  const fields = EVENT_FIELDS[filter.kind]
  for (const path of Object.keys(filter.where)) {
    const head = path.split('.')[0] ?? ''
    if (!fields.includes(head)) {
      ctx.addIssue({
        code: 'custom',
        path: ['where', path],
        message: `'${head}' is not a field of ${filter.kind} events; fields: ${fields.join(', ')}`
      })
    }
  }
}
