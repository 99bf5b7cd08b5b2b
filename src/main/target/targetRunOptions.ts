import { z } from 'zod'
import { LOAD_BOUNDS, type LoadShape } from '../../shared/targetFile'

/**
 * Target mode's run options as the CLI's flags and MCP's run_target both take them: one set of rules, worded with
 * the caller's own names for the options (`--shard`, or `shard`).
 */
export class TargetOptionError extends Error {
  override readonly name = 'TargetOptionError'
}

/** What the options are called where they are given. */
export interface TargetOptionNames {
  rampUp: string
  arrivalRate: string
  runId: string
  shard: string
}

export interface GivenTargetOptions {
  /** The whole run's users: shard I of N takes a slice of them. */
  users: number
  rampUpMs?: number | undefined
  arrivalRate?: number | undefined
  thinkTimeMs?: number | undefined
  connectConcurrency?: number | undefined
  runId?: string | undefined
  /** `I/N` (0-based I), or `auto/N` (I from JOB_COMPLETION_INDEX) where the caller's schema lets it through. */
  shard?: string | undefined
}

export interface TargetRunOptions {
  /** Replaces the file's load shape field by field. */
  load: Partial<LoadShape>
  runId?: string
  shard?: { index: number; count: number }
}

export const MAX_SHARDS = 1_000

/** `I/N` or `auto/N`; a schema that takes only `I/N` narrows it first. */
export const SHARD_SHAPE = /^(auto|\d+)\/(\d+)$/

/** The run id every shard of a run is given, from which each derives every user's canary. */
export const runIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'expected 1-100 letters, digits or _.:- (e.g. the job name)')

/** A load shape field's bounds, worded as the CLI's flags word them (`must be at most 3600000`). */
export function loadBound(field: keyof typeof LOAD_BOUNDS, number: z.ZodNumber): z.ZodNumber {
  const { min, max } = LOAD_BOUNDS[field]
  return number.min(min, `must be at least ${min}`).max(max, `must be at most ${max}`)
}

/**
 * Checks the options together (one arrival rule, a run id for a shard, the shard within the users) and turns them
 * into what targetSummary takes. Throws a TargetOptionError naming the options by `names`.
 */
export function resolveTargetOptions(
  given: GivenTargetOptions,
  names: TargetOptionNames,
  env: NodeJS.ProcessEnv = process.env
): TargetRunOptions {
  if (given.rampUpMs !== undefined && given.arrivalRate !== undefined)
    throw new TargetOptionError(
      `${names.rampUp} and ${names.arrivalRate} both say when users arrive; give one`
    )
  const shard = given.shard === undefined ? undefined : shardOf(given.shard, given.users, names.shard, env)
  if (shard && given.runId === undefined)
    throw new TargetOptionError(
      `${names.shard} needs ${names.runId}, the same for every shard, so that each derives every user's canary`
    )
  const load: Partial<LoadShape> = {
    ...(given.rampUpMs === undefined ? {} : { rampUpMs: given.rampUpMs }),
    ...(given.arrivalRate === undefined ? {} : { arrivalRate: given.arrivalRate }),
    ...(given.thinkTimeMs === undefined ? {} : { thinkTimeMs: given.thinkTimeMs }),
    ...(given.connectConcurrency === undefined ? {} : { connectConcurrency: given.connectConcurrency })
  }
  return {
    load,
    ...(given.runId === undefined ? {} : { runId: given.runId }),
    ...(shard ? { shard } : {})
  }
}

/** `I/N` (0-based I) or `auto/N`, whose I is Kubernetes' JOB_COMPLETION_INDEX for an Indexed Job's pod. */
function shardOf(
  text: string,
  users: number,
  name: string,
  env: NodeJS.ProcessEnv
): { index: number; count: number } {
  const [, given, total] = SHARD_SHAPE.exec(text) ?? []
  const count = Number(total)
  if (!Number.isInteger(count) || count < 1 || count > MAX_SHARDS)
    throw new TargetOptionError(`${name}: N must be 1 to ${MAX_SHARDS} (got ${total ?? text})`)
  if (count > users)
    throw new TargetOptionError(`${name}: ${count} shards for ${users} user(s) leaves a shard with nobody`)
  let index: number
  if (given === 'auto') {
    const indexVar = env.JOB_COMPLETION_INDEX
    if (indexVar === undefined || !/^\d+$/.test(indexVar))
      throw new TargetOptionError(
        `${name} auto/${count}: JOB_COMPLETION_INDEX is ${indexVar === undefined ? 'not set' : `'${indexVar}', not a whole number`}; run it in a Kubernetes Indexed Job, or give the index (${name} 0/${count})`
      )
    index = Number(indexVar)
  } else index = Number(given)
  if (index >= count)
    throw new TargetOptionError(`${name}: index ${index} is past the last shard (0 to ${count - 1})`)
  return { index, count }
}
