import { z } from 'zod'
import { FAULT_NAMES, faultNameSchema } from '../../shared/faults'
import type { LoadReport } from '../runtime/load/runLoad'
import { loadSummary } from './loadSummary'
import type { LoadDetails } from './loadWatch'
import { checkOutputPath } from './outputPath'
import { intFlag, parseCommandArgs } from './parseCommandArgs'

export const LOAD_USAGE = `load --users N --runs R [--fault NAME]... [--seed S] [--pool worker|in-process] [--record FILE] [--json]
  Boots the runtime, connects N simulated users, runs R agent runs per user and audits every delivery.
  Faults: ${FAULT_NAMES.join(', ')}
  Exit: 0 clean, 1 isolation violation, 3 missing/out-of-order/refused events, 4 start-up failed, 5 incomplete, 2 bad arguments.`

const loadArgsSchema = z.strictObject({
  users: intFlag(z, 1, 20_000),
  runs: intFlag(z, 1, 10_000),
  fault: z.array(faultNameSchema).default([]),
  seed: intFlag(z, 0, 2 ** 31 - 1).default(1),
  pool: z.enum(['worker', 'in-process']).optional(),
  record: z.string().min(1).optional(),
  json: z.boolean().default(false),
  positionals: z.array(z.string()).max(0, 'load takes no positional arguments')
})

export async function loadCommand(argv: string[], print: (line: string) => void): Promise<number> {
  const args = parseCommandArgs(
    'load',
    argv,
    {
      users: { type: 'string' },
      runs: { type: 'string' },
      fault: { type: 'string', multiple: true },
      seed: { type: 'string' },
      pool: { type: 'string' },
      record: { type: 'string' },
      json: { type: 'boolean' }
    },
    loadArgsSchema
  )
  if (args.record) await checkOutputPath('record', args.record)
  const summary = await loadSummary({
    users: args.users,
    runs: args.runs,
    faults: args.fault,
    seed: args.seed,
    ...(args.pool ? { pool: args.pool } : {}),
    ...(args.record ? { record: args.record } : {})
  })
  if (args.json) print(JSON.stringify(summary, null, 2))
  else {
    const { warnings, leaks, exitCode } = summary
    for (const line of formatLoadReport(summary, exitCode, { warnings, leaks })) print(line)
  }
  return summary.exitCode
}

export function formatLoadReport(
  report: LoadReport,
  exitCode: number,
  details: LoadDetails = { warnings: [], leaks: [] }
): string[] {
  const ms = (value: number | null): string => (value === null ? 'n/a' : `${value.toFixed(2)} ms`)
  const lines = [`start-up:           ${report.startup.state}`]
  if (report.startup.error) {
    lines.push(
      `  failed in ${report.startup.failedPhase?.toUpperCase()}: ${report.startup.error.type}: ${report.startup.error.message}`
    )
    if (report.startup.error.chain) lines.push(`  chain: ${report.startup.error.chain.join(' -> ')}`)
  }
  lines.push(
    `users:              ${report.users.connected}/${report.users.requested} connected`,
    ...report.users.failed.slice(0, 5).map((failure) => `  ${failure.user_id}: ${failure.error}`),
    `runs:               ${report.runs.completed} completed, ${report.runs.refused} refused of ${report.runs.requested}`,
    ...report.runs.refusals.slice(0, 3).map((refusal) => `  ${refusal.user_id}: ${refusal.message}`),
    `events emitted:     ${report.events.emitted}`,
    `events delivered:   ${report.events.delivered} (expected ${report.events.expectedDeliveries})`,
    `violations:         ${report.violations}`,
    ...details.leaks
      .slice(0, 10)
      .map((leak) => `  ${leak.owner}'s events reached ${leak.receiver}: ${leak.count}`),
    ...(details.leaks.length > 10 ? [`  and ${details.leaks.length - 10} more pairs (use --json)`] : []),
    `warnings:           ${details.warnings.reduce((sum, warning) => sum + warning.count, 0)}`,
    ...details.warnings.map((warning) => `  ${warning.code} x${warning.count}: ${warning.message}`),
    `runs missing events: ${report.runsWithMissingEvents}, out of order: ${report.runsOutOfOrder}`,
    `delivery latency:   p50 ${ms(report.latencyMs.p50)}, p99 ${ms(report.latencyMs.p99)}`,
    `managers:           ${report.managers.created} created, ${report.managers.closed} closed`,
    ...(report.poolCrash === null ? [] : [`simulated users:    ${report.poolCrash}`]),
    `elapsed:            ${(report.elapsedMs / 1000).toFixed(2)} s${report.timedOut ? ' (timed out waiting)' : ''}`,
    'per user (received / own / foreign):',
    ...report.perUser
      .slice(0, 20)
      .map((user) => `  ${user.user_id}: ${user.received} / ${user.own} / ${user.foreign}`)
  )
  if (report.perUser.length > 20) lines.push(`  and ${report.perUser.length - 20} more (use --json)`)
  lines.push(`exit code:          ${exitCode}`)
  return lines
}
