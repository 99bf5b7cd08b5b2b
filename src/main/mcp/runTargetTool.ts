import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import { targetSummary } from '../cli/targetSummary'
import { guardTool, jsonResult } from './toolCall'

/** The same bounds as `target`'s flags. */
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
    .max(10_000)
    .optional()
    .describe(
      'Replaces users.shareKey.groupSize (1 to 10,000): users share the key in groups of K (1: a key each).'
    )
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
        'Progress: runs ended of users x runs.',
      inputSchema: runTargetInput,
      annotations: { readOnlyHint: false, openWorldHint: true }
    },
    guardTool('run_target', async (args, extra, progress) => {
      const total = args.users * args.runs
      const summary = await targetSummary(args.target, {
        users: args.users,
        runs: args.runs,
        ...(args.url ? { url: args.url } : {}),
        ...(args.group_size === undefined ? {} : { groupSize: args.group_size }),
        // A cancelled call stops its users and closes their connections to the backend.
        signal: extra.signal,
        onRunCompleted: (completed) =>
          progress.report(completed, total, `${completed} of ${total} runs ended`)
      })
      return jsonResult(summary)
    })
  )
}
