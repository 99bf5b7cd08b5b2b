import { benchArgs } from './lib/args'
import { LoadSession } from './lib/loadSession'
import { collectGarbage } from './lib/memory'
import { ratioOf, runCases, type CaseResult } from './lib/result'
import { startBare, startPipeline, type Target } from './lib/targets'

/** Fan-out of agent events to 1,000 users held in a worker thread: saturated throughput and paced latency. */
const args = benchArgs()
const USERS = 1_000
/**
 * Each case alternates baseline and pipeline this many times and reports the medians: on a shared 2-core machine a
 * single pair moved by ±15% from one run to the next (the baseline alone from 98k to 133k events/s), and with three
 * rounds the saturated ratio's median still moved between 0.80 and 0.86 from one full run to the next.
 */
const ROUNDS = args.quick ? 1 : 5

interface Measured {
  eventsPerSecond: number
  /** Process CPU time (both threads) per delivered event: steadier than wall time on a shared machine. */
  cpuMicrosPerEvent: number
  p99: number | null
  losses: number
  violations: number
  runsMissing: number
  failed: number
}

async function measure(start: () => Promise<Target>, work: (session: LoadSession) => Promise<number>) {
  const target = await start()
  const session = await LoadSession.open(target, USERS)
  // Warm-up: two waves, so both targets are measured with a warm JIT and grown buffers.
  await session.saturate(2, USERS * 5 * 2)
  session.resetLatency()
  // Earlier rounds' runtimes are garbage now; collect it here rather than in the middle of this measurement.
  collectGarbage()
  const before = session.delivered
  const beforeExpected = session.expected
  const cpuBefore = process.cpuUsage()
  const elapsedMs = await work(session)
  const cpu = process.cpuUsage(cpuBefore)
  const delivered = session.delivered - before
  const expected = session.expected - beforeExpected
  await session.close()
  const verdict = await target.finish()
  const measured: Measured = {
    eventsPerSecond: (delivered / elapsedMs) * 1000,
    cpuMicrosPerEvent: (cpu.user + cpu.system) / delivered,
    p99: session.latency.percentile(99),
    losses: expected - delivered,
    violations: verdict.violations,
    runsMissing: verdict.runsMissing,
    failed: session.failed
  }
  return measured
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor((sorted.length - 1) / 2)] as number
}

/**
 * Alternates the targets ROUNDS times: the bare server with our writer (the ratio's baseline), the bare server with
 * ws.send (for information) and the pipeline. The medians of `metric` stand for each; every round is kept for notes.
 */
async function rounds(work: (session: LoadSession) => Promise<number>, metric: (m: Measured) => number) {
  const bare: Measured[] = []
  const bareWsSend: Measured[] = []
  const pipeline: Measured[] = []
  for (let round = 0; round < ROUNDS; round++) {
    bare.push(await measure(startBare, work))
    bareWsSend.push(await measure(() => startBare('ws.send'), work))
    pipeline.push(await measure(startPipeline, work))
  }
  const of = (runs: Measured[]): Measured => {
    const middle = median(runs.map(metric))
    return runs.find((run) => metric(run) === middle) as Measured
  }
  // Integrity counts add up over every round: one bad round is a failure, whatever the median says.
  const total = (key: 'losses' | 'violations' | 'runsMissing' | 'failed'): number =>
    pipeline.reduce((sum, run) => sum + run[key], 0)
  const pipelineMedian: Measured = {
    ...of(pipeline),
    losses: total('losses'),
    violations: total('violations'),
    runsMissing: total('runsMissing'),
    failed: total('failed')
  }
  const each = (runs: Measured[]): string =>
    runs.map((run) => metric(run).toFixed(metric(run) >= 100 ? 0 : 2)).join(', ')
  const spread =
    ROUNDS > 1
      ? `median of ${ROUNDS} rounds (ours ${each(pipeline)}; bare ${each(bare)}; bare with ws.send ${each(bareWsSend)}); `
      : ''
  return { bare: of(bare), bareWsSend: of(bareWsSend), pipeline: pipelineMedian, spread }
}

const integrity = (m: Measured): string =>
  `${m.cpuMicrosPerEvent.toFixed(1)} CPU µs/event; ${m.violations} violations, ${m.losses} lost, ${m.runsMissing} runs missing events, ${m.failed} users failed`
const clean = (m: Measured): boolean =>
  m.violations === 0 && m.losses === 0 && m.runsMissing === 0 && m.failed === 0

async function saturated(): Promise<CaseResult> {
  const runs = args.quick ? 10 : 100
  const work = (session: LoadSession): Promise<number> => session.saturate(runs, USERS * 5 * 4)
  const { bare, bareWsSend, pipeline, spread } = await rounds(work, (m) => m.eventsPerSecond)
  const ratio = ratioOf(pipeline.eventsPerSecond, bare.eventsPerSecond)
  return {
    suite: 'fanout',
    case: 'saturated-1000-users',
    metric: 'delivered events/s',
    unit: 'ev/s',
    pipeline: pipeline.eventsPerSecond,
    bare: bare.eventsPerSecond,
    bareWsSend: bareWsSend.eventsPerSecond,
    ratio,
    target: '>= 0.8 x bare, no violation or loss',
    pass: ratio !== null && ratio >= 0.8 && clean(pipeline),
    notes: `${spread}${USERS * runs * 5} events a round; p99 ${pipeline.p99?.toFixed(1)} ms (bare ${bare.p99?.toFixed(1)} ms); bare ${bare.cpuMicrosPerEvent.toFixed(1)} CPU µs/event (with ws.send ${bareWsSend.cpuMicrosPerEvent.toFixed(1)}); ${integrity(pipeline)}`
  }
}

async function paced(): Promise<CaseResult> {
  const durationMs = args.quick ? 3_000 : 10_000
  const work = (session: LoadSession): Promise<number> => session.paced(10_000, durationMs)
  const { bare, bareWsSend, pipeline, spread } = await rounds(work, (m) => m.p99 ?? Infinity)
  const p99 = pipeline.p99 ?? Infinity
  const bareP99 = bare.p99 ?? Infinity
  return {
    suite: 'fanout',
    case: 'paced-10k-per-s-1000-users',
    metric: 'p99 delivery latency',
    unit: 'ms',
    pipeline: pipeline.p99,
    bare: bare.p99,
    bareWsSend: bareWsSend.p99,
    ratio: ratioOf(pipeline.p99, bare.p99),
    target: '<= 2 x bare p99 and < 5 ms',
    pass: p99 <= 2 * bareP99 && p99 < 5 && clean(pipeline),
    notes: `${spread}${durationMs / 1000} s at 10k ev/s a round; bare ${bare.cpuMicrosPerEvent.toFixed(1)} CPU µs/event (with ws.send ${bareWsSend.cpuMicrosPerEvent.toFixed(1)}); ${integrity(pipeline)}`
  }
}

await runCases(args, [saturated, paced])
