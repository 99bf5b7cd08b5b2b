import { z } from 'zod'
import { startObserveProxy, DEFAULT_MAX_MESSAGE_BYTES } from '../observe/observeProxy'
import { ObservedSession } from '../observe/observedSession'
import { formatObserveSummary, observeExitCode } from '../observe/observeSummary'
import type { RelaySnapshot } from '../observe/relayStats'
import { checkUpstreamReachable } from '../observe/upstreamReachable'
import { parseUpstream, type UpstreamTarget } from '../observe/upstreamTarget'
import { InspectionBus } from '../runtime/inspection/inspectionBus'
import { Recorder } from '../runtime/inspection/recorder'
import { CliUsageError } from './cliError'
import { nextStopSignal } from './nextStopSignal'
import { observeJudgingFlags, observeJudgingOptions } from './observeJudgingFlags'
import { observeHarCommand, wantsHar } from './observeHarCommand'
import { checkOutputPath } from './outputPath'
import { intFlag, parseCommandArgs } from './parseCommandArgs'

/** observe's exit code when the upstream does not accept a connection at start. */
export const EXIT_UPSTREAM_UNREACHABLE = 5
/** How long observe may take to stop after SIGINT or SIGTERM before it prints what it has and exits. */
export const OBSERVE_SHUTDOWN_DEADLINE_MS = 3_000
/** The inspection history kept for a recording's start (a few lines: observe_started). */
const OBSERVE_HISTORY = { historyLimit: 1_000, historyBytes: 256 * 1024 } as const

const upstreamSchema = z
  .string({ error: 'required, e.g. --upstream ws://127.0.0.1:8787' })
  .transform((text, context): UpstreamTarget => {
    const upstream = parseUpstream(text)
    if (typeof upstream === 'string') {
      context.addIssue({ code: 'custom', message: upstream })
      return z.NEVER
    }
    return upstream
  })

const observeArgsSchema = z.strictObject({
  upstream: upstreamSchema,
  listen: intFlag(z, 0, 65_535).default(0),
  ...observeJudgingFlags
})

/**
 * Observe mode from the command line: relays until interrupted, then prints the summary. The first line printed
 * is the listen URL, so scripts and tests can read it.
 */
export async function observeCommand(argv: string[], print: (line: string) => void): Promise<number> {
  // --har audits recorded sessions instead of relaying live ones: same rules, same summary (observeHarCommand.ts).
  if (wantsHar(argv)) return observeHarCommand(argv, print)
  const args = parseCommandArgs(
    'observe',
    argv,
    {
      upstream: { type: 'string' },
      listen: { type: 'string' },
      ...observeJudgingOptions
    },
    observeArgsSchema
  )
  const upstream = args.upstream
  if (args.record) await checkOutputPath('record', args.record)
  const unreachable = await checkUpstreamReachable(upstream)
  if (unreachable !== null) {
    console.error(
      `observe: the upstream ${upstream.url} is unreachable (${unreachable}); start your backend or fix --upstream`
    )
    return EXIT_UPSTREAM_UNREACHABLE
  }
  const bus = new InspectionBus(OBSERVE_HISTORY)
  const recorder = args.record ? new Recorder(bus, args.record, { includeHistory: true }) : null
  const session = new ObservedSession({
    bus,
    rules: args['user-from'],
    ownerIds: args['owner-id'],
    canaries: !args['no-canaries'],
    // Each message's observed_frame is only read from a recording.
    frames: recorder !== null,
    source: upstream.url
  })
  let proxy
  try {
    proxy = await startObserveProxy({ upstream, observer: session, port: args.listen })
  } catch (error) {
    await recorder?.close()
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE' || code === 'EACCES')
      throw new CliUsageError(
        `observe: --listen ${args.listen}: cannot listen on 127.0.0.1 (${code}); pick another port or 0`
      )
    throw error
  }
  // Listening for the stop before the first line: a script may signal as soon as it has read it.
  const stopped = nextStopSignal()
  // The URL is the first line on purpose: scripts and tests read it to know where to point their clients.
  print(proxy.url)
  if (!args.json)
    print(`observe: relaying ${proxy.url} -> ${upstream.url}. Ctrl+C stops and prints the summary.`)
  const signal = await stopped
  // A relay that cannot finish closing in time still prints what it saw, and exits with its verdict.
  const deadline = setTimeout(() => {
    console.error(
      `observe: still closing ${OBSERVE_SHUTDOWN_DEADLINE_MS} ms after ${signal}; the summary is what was seen by then`
    )
    process.exit(report())
  }, OBSERVE_SHUTDOWN_DEADLINE_MS)
  let reported = false
  const relay = proxy
  function report(): number {
    const summary = session.summary()
    const exitCode = observeExitCode(summary)
    if (!reported) {
      reported = true
      const stats = relay.stats()
      if (args.json) print(JSON.stringify({ ...summary, relay: stats, exitCode }, null, 2))
      else for (const line of [...formatObserveSummary(summary), ...formatRelayStats(stats)]) print(line)
    }
    return exitCode
  }
  try {
    await proxy.close()
    await recorder?.close()
  } finally {
    clearTimeout(deadline)
  }
  return report()
}

function formatRelayStats(stats: RelaySnapshot): string[] {
  const lines = [
    `relay: ${stats.connections} WebSocket connection(s), ${stats.frames.client_to_server} frame(s) client->server, ` +
      `${stats.frames.server_to_client} server->client, ${stats.httpRequests} HTTP request(s) passed through`
  ]
  if (stats.upgradesRefused > 0)
    lines.push(`  ${stats.upgradesRefused} upgrade(s) refused by the upstream (relayed as answered)`)
  if (stats.upstreamFailures > 0)
    lines.push(`  ${stats.upstreamFailures} request(s) the upstream did not answer (502 sent)`)
  if (stats.tooLarge > 0)
    lines.push(
      `  ${stats.tooLarge} message(s) over ${DEFAULT_MAX_MESSAGE_BYTES / 2 ** 20} MiB: relayed, not judged`
    )
  if (stats.undecodable > 0)
    lines.push(
      `  ${stats.undecodable} connection direction(s) stopped being readable WebSocket frames (garbage, or a broken compressed stream): relayed, not judged after`
    )
  return lines
}
