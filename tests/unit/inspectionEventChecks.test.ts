import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import {
  INSPECTION_EVENT_CHECKS_PATH,
  inspectionEventChecksSource
} from '../../scripts/inspectionEventChecks'
import inspectionEventChecks from '../../src/shared/generated/inspectionEventChecks.js'
import { inspectionEventSchema } from '../../src/shared/inspection'
import { checkedInspectionEventSchema } from '../../src/shared/inspectionEventCheck'
import { pushSchema } from '../../src/shared/inspectorApi'
import { checkRecordingLine } from '../../src/shared/recordingFormat'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type Def = {
  type: string
  shape?: Record<string, z.core.$ZodType>
  options?: z.core.$ZodType[]
  innerType?: z.core.$ZodType
  element?: z.core.$ZodType
  keyType?: z.core.$ZodType
  valueType?: z.core.$ZodType
  values?: Json[]
  entries?: Record<string, string>
  checks?: Array<{ _zod: { def: { check: string; minimum?: number } } }>
}
const defOf = (schema: z.core.$ZodType): Def => schema._zod.def as unknown as Def

/**
 * Valid values of a zod schema, read from its definition: one for every branch of every union, so each branch of
 * the generated checks is reached. Covers the kinds of schema the event schema uses (a test fails on any other).
 */
function validValues(schema: z.core.$ZodType): Json[] {
  const def = defOf(schema)
  switch (def.type) {
    case 'string': {
      const min = def.checks?.find((check) => check._zod.def.check === 'min_length')?._zod.def.minimum ?? 1
      return ['s'.repeat(Math.max(1, min))]
    }
    case 'number':
      return [1]
    case 'boolean':
      return [true, false]
    case 'literal':
      return [...(def.values ?? [])]
    case 'enum':
      return Object.values(def.entries ?? {})
    case 'unknown':
      return [{ any: ['thing'] }]
    case 'optional':
      return validValues(def.innerType as z.core.$ZodType)
    case 'nullable':
      return [...validValues(def.innerType as z.core.$ZodType), null]
    case 'array':
      return [[], validValues(def.element as z.core.$ZodType)]
    case 'record': {
      // A record keyed by an enum needs every one of its keys (zod 4); any other, none.
      const keys = defOf(def.keyType as z.core.$ZodType).type === 'enum' ? validValues(def.keyType as z.core.$ZodType) : []
      const value = validValues(def.valueType as z.core.$ZodType)[0] as Json
      const full = Object.fromEntries(keys.map((key) => [key as string, value]))
      return keys.length > 0 ? [full] : [{}, { key: value }]
    }
    case 'union':
      return (def.options ?? []).flatMap(validValues)
    case 'object': {
      const fields = Object.entries(def.shape ?? {}).map(([key, value]) => [key, validValues(value)] as const)
      const base = Object.fromEntries(fields.map(([key, values]) => [key, values[0] as Json]))
      // The base value, then each field's other values one at a time.
      return [base, ...fields.flatMap(([key, values]) => values.slice(1).map((value) => ({ ...base, [key]: value })))]
    }
    default:
      throw new Error(`no sample values for a zod ${def.type}`)
  }
}

const WRONG_VALUES: Json[] = [null, '', 'x', 0, -1, 1.5, 2 ** 53, true, [], {}, ['x']]

/** The value with one change: every field removed, given a wrong value, or joined by an unknown one. */
function* mutations(value: Json): Generator<Json> {
  if (value === null || typeof value !== 'object') {
    for (const wrong of WRONG_VALUES) yield wrong
    return
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      for (const changed of mutations(value[index] as Json)) {
        yield value.map((item, at) => (at === index ? changed : item))
      }
    }
    yield [...value, 'extra']
    return
  }
  yield { ...value, unknown_field: 1 }
  for (const key of Object.keys(value)) {
    const { [key]: removed, ...rest } = value
    yield rest
    for (const changed of mutations(removed as Json)) yield { ...value, [key]: changed }
  }
}

function generatedVerdict(value: Json): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const check = typeof value.kind === 'string' ? inspectionEventChecks[value.kind] : undefined
  return check !== undefined && Object.hasOwn(inspectionEventChecks, value.kind as string) && check(value)
}

describe('generated inspection event checks', () => {
  it('are generated from the current schema', () => {
    expect(readFileSync(INSPECTION_EVENT_CHECKS_PATH, 'utf8')).toBe(inspectionEventChecksSource())
  })

  it('give zod’s verdict on every kind’s valid values and on every one-field change to them', () => {
    const events = validValues(inspectionEventSchema)
    const kinds = new Set(events.map((event) => (event as { kind: string }).kind))
    expect(kinds.size).toBe(Object.keys(inspectionEventChecks).length)
    let compared = 0
    const disagreements: string[] = []
    for (const event of events) {
      expect({ event, zod: inspectionEventSchema.safeParse(event).success, generated: generatedVerdict(event) })
        .toMatchObject({ zod: true, generated: true })
      for (const changed of mutations(event)) {
        compared += 1
        const zodVerdict = inspectionEventSchema.safeParse(changed).success
        if (generatedVerdict(changed) !== zodVerdict && disagreements.length < 5) {
          disagreements.push(`zod ${zodVerdict ? 'accepts' : 'rejects'} ${JSON.stringify(changed)}`)
        }
      }
    }
    expect(disagreements).toEqual([])
    expect(compared).toBeGreaterThan(10_000)
  })

  it('let zod name the problem of a line they reject, and find no check for a kind such as "constructor"', () => {
    const line = JSON.stringify({ kind: 'constructor', seq: 1, ts: 1 })
    const checked = checkRecordingLine(line, false)
    expect(checked).toMatchObject({ kind: 'bad', notJson: false })
    expect(checked.kind === 'bad' && checked.problem).toMatch(/^not an inspection event: 'kind'/)
    const delivered = {
      kind: 'agent_event_delivered',
      event_id: 'e1',
      type: 'agent_started',
      run_id: 'r1',
      owner_user_id: 'u1',
      receiver_user_id: 'u1',
      latency_ms: 1,
      seq: -1,
      ts: 1
    }
    const negative = checkRecordingLine(JSON.stringify(delivered), false)
    expect(negative.kind === 'bad' && negative.problem).toMatch(/^not an inspection event: 'seq' /)
    expect(checkRecordingLine(JSON.stringify({ ...delivered, seq: 1 }), false).kind).toBe('event')
  })

  it('check pushed events too: a bad one gets zod’s issue, with its path, and a good one passes as it is', () => {
    const good = validValues(inspectionEventSchema)[0] as { kind: string }
    const pushed = pushSchema.safeParse({ type: 'events', events: [good, { ...good, seq: 'x' }] })
    expect(pushed.success).toBe(false)
    expect(pushed.error?.issues[0]?.path).toEqual(['events', 1, 'seq'])
    expect(pushed.error?.issues[0]?.message).toBe(inspectionEventSchema.safeParse({ ...good, seq: 'x' }).error?.issues[0]?.message)
    const passed = checkedInspectionEventSchema.safeParse(good)
    expect(passed.success && passed.data).toBe(good)
  })
})
