import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import { FAULT_NAMES, faultNameSchema } from '../../shared/faults'
import { loadSummary } from '../cli/loadSummary'
import { guardTool, jsonResult } from './toolCall'

/** The same bounds as `load`'s flags. */
export const runLoadInput = {
  users: z.number().int().min(1).max(20_000).describe('Simulated users to connect (1 to 20,000).'),
  runs: z.number().int().min(1).max(10_000).describe('Agent runs each user starts (1 to 10,000).'),
  faults: z
    .array(faultNameSchema)
    .max(FAULT_NAMES.length)
    .default([])
    .describe(`Faults to boot the runtime with (default none): ${FAULT_NAMES.join(', ')}.`),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1)
    .describe('Seed of the runtime (0 to 2^31-1, default 1).'),
  pool: z
    .enum(['worker', 'in-process'])
    .optional()
    .describe('Where the simulated users live. Default: a worker thread from 50 users up, else in process.')
}

export function registerRunLoad(server: McpServer): void {
  server.registerTool(
    'run_load',
    {
      title: 'Run a load against the embedded runtime',
      description:
        'Boots a fresh runtime with the faults, connects the users, runs the runs and audits every delivery. ' +
        'Returns what `load --json` prints: start-up, users, runs, events, violations with each leak ' +
        '(owner -> receiver, count), warnings, missing and out-of-order runs, latency, managers, per-user ' +
        'counts, and exitCode (0 clean, 1 isolation violation, 3 missing/out-of-order/refused events, ' +
        '4 start-up failed, 5 incomplete). Progress: runs completed of users x runs.',
      inputSchema: runLoadInput,
      annotations: { readOnlyHint: true, openWorldHint: false }
    },
    guardTool('run_load', async (args, extra, progress) => {
      const total = args.users * args.runs
      const summary = await loadSummary({
        users: args.users,
        runs: args.runs,
        faults: args.faults,
        seed: args.seed,
        ...(args.pool ? { pool: args.pool } : {}),
        // A cancelled call stops its load: the users leave and the runtime closes, so nothing keeps working.
        signal: extra.signal,
        onRunCompleted: (completed) =>
          progress.report(completed, total, `${completed} of ${total} runs completed`)
      })
      return jsonResult(summary)
    })
  )
}
