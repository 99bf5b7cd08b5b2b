import { Runtime } from '../src/main/runtime/runtime'
import { benchArgs } from './lib/args'
import { LoadSession } from './lib/loadSession'
import { ratioOf, runCases, type CaseResult } from './lib/result'
import { startBare, startPipeline, type Target } from './lib/targets'

/** Getting going: connecting 1,000 users, and the runtime's start-up to READINESS. */
const args = benchArgs()
const USERS = 1_000

async function connectMs(start: () => Promise<Target>): Promise<{ ms: number; connected: number }> {
  const target = await start()
  const session = await LoadSession.open(target, USERS)
  await session.close()
  await target.finish()
  return { ms: session.connectMs, connected: session.connected.length }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? NaN
}

async function connecting(): Promise<CaseResult> {
  // Best of three each: the machine is shared, and a connect storm is short enough for a stray process to skew.
  const bare: number[] = []
  const pipeline: number[] = []
  let connected = USERS
  for (let round = 0; round < (args.quick ? 1 : 3); round++) {
    bare.push((await connectMs(startBare)).ms)
    const outcome = await connectMs(startPipeline)
    pipeline.push(outcome.ms)
    connected = Math.min(connected, outcome.connected)
  }
  const ms = Math.min(...pipeline)
  const bareMs = Math.min(...bare)
  return {
    suite: 'connect',
    case: 'connect-1000-users',
    metric: 'time to connect (welcome received)',
    unit: 'ms',
    pipeline: ms,
    bare: bareMs,
    ratio: ratioOf(ms, bareMs),
    target: '< 1000 ms',
    pass: ms < 1_000 && connected === USERS,
    notes: `${connected}/${USERS} connected; best of ${pipeline.length} (all: ${pipeline.map((v) => v.toFixed(0)).join(', ')} ms)`
  }
}

async function startup(): Promise<CaseResult> {
  const times: number[] = []
  for (let run = 0; run < (args.quick ? 11 : 31); run++) {
    const started = performance.now()
    const runtime = await Runtime.start({ seed: run + 1 })
    times.push(performance.now() - started)
    if (runtime.startup.state !== 'ready')
      throw new Error(`start-up failed: ${runtime.startup.error?.message}`)
    await runtime.close()
  }
  const ms = median(times)
  return {
    suite: 'connect',
    case: 'startup-to-readiness',
    metric: 'median Runtime.start() to ready (past READINESS, accepting users)',
    unit: 'ms',
    pipeline: ms,
    bare: null,
    ratio: null,
    target: 'median < 50 ms',
    pass: ms < 50,
    notes: `${times.length} start-ups; first ${times[0]?.toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`
  }
}

await runCases(args, [connecting, startup])
