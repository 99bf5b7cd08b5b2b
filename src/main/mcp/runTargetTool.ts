import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import { GROUP_SIZE_MAX } from '../../shared/targetFile'
import { targetSummary } from '../cli/targetSummary'
import { shardSlice } from '../target/shard'
import {
  loadBound,
  resolveTargetOptions,
  runIdSchema,
  TargetOptionError,
  type TargetOptionNames,
  type TargetRunOptions
} from '../target/targetRunOptions'
import { guardTool, jsonResult, ToolInputError } from './toolCall'

// auto/N reads JOB_COMPLETION_INDEX from the environment of the process that runs the shard: the MCP server was
// started by the agent's client, not by a Kubernetes Indexed Job, so the agent gives the index itself.
const MCP_SHARD_EXPECTED =
  'expected I/N (0-based I, e.g. 0/4); auto/N (I from JOB_COMPLETION_INDEX) is for the CLI in a Kubernetes Indexed Job'

/** The same bounds and rules as `target`'s flags. */
export const runTargetInput = {
  target: z
    .string()
    .min(1)
    .max(4096)
    .describe("Path to the target file (docs/target-mode.md), relative to the server's working directory."),
  users: z.number().int().min(1).max(2_000).describe('Simulated users (1 to 2,000).'),
  runs: z.number().int().min(1).max(1_000).describe('Runs each user starts (1 to 1,000).'),
  url: z
    .string()
    .min(1)
    .max(4096)
    .optional()
    .describe("Replaces the file's url (templates allowed, e.g. ws://127.0.0.1:8787/ws?room={{room}})."),
  group_size: z
    .number()
    .int()
    .min(1)
    .max(GROUP_SIZE_MAX)
    .optional()
    .describe(
      'Replaces users.shareKey.groupSize (1 to 10,000), as --group-size: users share the key in groups of K (1: a key each).'
    ),
  ramp_up_ms: loadBound('rampUpMs', z.number().int())
    .optional()
    .describe(
      'Replaces load.rampUpMs (0 to 3,600,000), as --ramp-up: users arrive evenly over this many ms. Not with arrival_rate.'
    ),
  arrival_rate: loadBound('arrivalRate', z.number())
    .optional()
    .describe(
      'Replaces load.arrivalRate (0.01 to 100,000), as --arrival-rate: this many users arrive per second. Not with ramp_up_ms.'
    ),
  think_time_ms: loadBound('thinkTimeMs', z.number().int())
    .optional()
    .describe(
      "Replaces load.thinkTimeMs (0 to 3,600,000), as --think-time: a user's runs go one at a time, this many ms apart."
    ),
  connect_concurrency: loadBound('connectConcurrency', z.number().int())
    .optional()
    .describe(
      'Replaces load.connectConcurrency (1 to 10,000; the default is 200), as --connect-concurrency: users connecting at once.'
    ),
  run_id: runIdSchema
    .optional()
    .describe(
      'As --run-id: derives {{nonce}}, so every canary, id and shared key, from this id (1-100 letters, digits or _.:-): the same id gives the same users. Required with shard.'
    ),
  shard: z
    .string()
    .regex(/^\d+\/\d+$/, MCP_SHARD_EXPECTED)
    .optional()
    .describe(
      "As --shard I/N: runs shard I (0-based) of N (1 to 1,000, at most users), a slice of the users; needs run_id. The answer is that shard's report."
    )
}

/** What run_target's inputs are called in its errors. */
const MCP_NAMES: TargetOptionNames = {
  rampUp: 'ramp_up_ms',
  arrivalRate: 'arrival_rate',
  runId: 'run_id',
  shard: 'shard'
}

export function registerRunTarget(server: McpServer): void {
  server.registerTool(
    'run_target',
    {
      title: 'Audit your own WebSocket backend',
      description:
        'Target mode: simulated users connect to your backend as the target file describes, each starts its ' +
        'runs, and every frame is audited (owner ids, canary markers, missing and out-of-order events). ' +
        'Returns what `target --json` prints, with exitCode (0 clean, 1 leak by ids or canary, 3 missing or ' +
        'out-of-order events, 5 incomplete). A bad target file is a tool error naming every problem. ' +
        "Load shape and shard inputs replace the file's and follow the CLI's rules. " +
        "Progress: runs ended of users x runs (with shard, of the shard's users).",
      inputSchema: runTargetInput,
      annotations: { readOnlyHint: false, openWorldHint: true }
    },
    guardTool('run_target', async (args, extra, progress) => {
      const options = targetOptionsOf(args)
      const slice = options.shard && shardSlice(options.shard.index, options.shard.count, args.users)
      const total = (slice ? slice.to - slice.from + 1 : args.users) * args.runs
      const summary = await targetSummary(args.target, {
        users: args.users,
        runs: args.runs,
        ...(args.url ? { url: args.url } : {}),
        ...(args.group_size === undefined ? {} : { groupSize: args.group_size }),
        ...options,
        // A cancelled call stops its users and closes their connections to the backend.
        signal: extra.signal,
        onRunCompleted: (completed) =>
          progress.report(completed, total, `${completed} of ${total} runs ended`)
      })
      return jsonResult(summary)
    })
  )
}

/** The load shape, run id and shard, checked together as the CLI checks its flags. */
function targetOptionsOf(args: z.infer<z.ZodObject<typeof runTargetInput>>): TargetRunOptions {
  try {
    return resolveTargetOptions(
      {
        users: args.users,
        rampUpMs: args.ramp_up_ms,
        arrivalRate: args.arrival_rate,
        thinkTimeMs: args.think_time_ms,
        connectConcurrency: args.connect_concurrency,
        runId: args.run_id,
        shard: args.shard
      },
      MCP_NAMES
    )
  } catch (error) {
    if (error instanceof TargetOptionError) throw new ToolInputError(error.message)
    throw error
  }
}
