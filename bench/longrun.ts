import { builtinScenarios } from '../src/main/scenarios/builtinScenarios'
import { executeRun } from '../src/main/scenarios/executeRun'
import { planRuns } from '../src/main/scenarios/resolveSystem'
import { benchArgs } from './lib/args'
import { LoadSession } from './lib/loadSession'
import { collectGarbage } from './lib/memory'
import { runCases, type CaseResult } from './lib/result'
import { slopeOf } from './lib/slope'
import { startPipeline } from './lib/targets'

/**
 * Memory over the life of one host: 50 million deliveries (5 million with --quick) through one long-lived
 * pipeline, RSS and heap sampled after warm-up; and what four scenario replays add to external memory.
 */
const args = benchArgs()
const USERS = 1_000
const EVENTS_PER_RUN = 5
const TOTAL = args.quick ? 5_000_000 : 50_000_000
/** Sampled this often; the first tenth of the run is warm-up (JIT, grown buffers, a full history ring). */
const SAMPLE_EVERY = TOTAL / 20
const WARM_UP = TOTAL / 10
/** Growth per million deliveries under which memory counts as flat. */
const FLAT_MB_PER_MILLION = 1
const MB = 1024 * 1024

interface Sample {
  deliveries: number
  rss: number
  heapUsed: number
  external: number
}

function sample(deliveries: number): Sample {
  collectGarbage()
  const usage = process.memoryUsage()
  return { deliveries, rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external }
}

/** MB per million deliveries, least squares over the samples after warm-up. */
function slope(samples: readonly Sample[], key: 'rss' | 'heapUsed' | 'external'): number {
  const points = samples.map((s) => ({ x: s.deliveries / 1e6, y: s[key] / MB }))
  return slopeOf(points) ?? Number.NaN
}

async function longRun(): Promise<CaseResult[]> {
  // The host records as the app does, to /dev/null: the stream is written, not kept.
  const target = await startPipeline({ recordTo: '/dev/null' })
  const session = await LoadSession.open(target, USERS)
  const wave = session.connected.length * EVENTS_PER_RUN
  const started = performance.now()
  const samples: Sample[] = []
  let lastPrinted = started
  let lastDelivered = 0
  while (session.delivered < TOTAL) {
    const next = Math.min(TOTAL, (Math.floor(session.delivered / SAMPLE_EVERY) + 1) * SAMPLE_EVERY)
    await session.saturate(Math.ceil((next - session.delivered) / wave), wave * 4, 600_000)
    if (session.expected !== session.delivered) break
    if (session.delivered < WARM_UP) continue
    const taken = sample(session.delivered)
    samples.push(taken)
    const now = performance.now()
    const rate = ((session.delivered - lastDelivered) / (now - lastPrinted)) * 1000
    ;[lastPrinted, lastDelivered] = [now, session.delivered]
    console.log(
      `  ${(taken.deliveries / 1e6).toFixed(1)}M deliveries: RSS ${(taken.rss / MB).toFixed(1)} MB, heap ` +
        `${(taken.heapUsed / MB).toFixed(1)} MB, external ${(taken.external / MB).toFixed(1)} MB (${Math.round(rate)}/s)`
    )
  }
  const elapsedS = (performance.now() - started) / 1000
  const lost = session.expected - session.delivered
  await session.close()
  const verdict = await target.finish()
  const clean = lost === 0 && verdict.violations === 0 && verdict.runsMissing === 0 && session.failed === 0
  const slopes = {
    rss: slope(samples, 'rss'),
    heap: slope(samples, 'heapUsed'),
    external: slope(samples, 'external')
  }
  const first = samples[0]
  const last = samples[samples.length - 1]
  const notes =
    `${(session.delivered / 1e6).toFixed(1)}M deliveries to ${USERS} users in ${elapsedS.toFixed(0)} s, ` +
    `${samples.length} samples after ${WARM_UP / 1e6}M of warm-up; RSS ${mb(first?.rss)} -> ${mb(last?.rss)} MB, ` +
    `heap ${mb(first?.heapUsed)} -> ${mb(last?.heapUsed)} MB, external ${slopes.external.toFixed(3)} MB/M; ` +
    `${verdict.violations} violations, ${lost} lost, ${verdict.runsMissing} runs missing events`
  const result = (name: string, metric: string, value: number): CaseResult => ({
    suite: 'longrun',
    case: `${TOTAL / 1e6}M-deliveries-${name}`,
    metric,
    unit: 'MB/M',
    pipeline: value,
    bare: null,
    ratio: null,
    target: `grows < ${FLAT_MB_PER_MILLION} MB per million deliveries`,
    pass: clean && value < FLAT_MB_PER_MILLION,
    notes
  })
  return [
    result('rss', 'RSS slope after warm-up (both threads)', slopes.rss),
    result('heap', 'runtime thread heap slope after warm-up (after full GC)', slopes.heap)
  ]
}

const mb = (bytes: number | undefined): string => (bytes === undefined ? '-' : (bytes / MB).toFixed(1))

/** External memory that four scenario replays leave behind before any collection (each boots a runtime). */
async function scenarioReplays(): Promise<CaseResult> {
  const plans = builtinScenarios()
    .flatMap((scenario) => planRuns(scenario).map((plan) => ({ scenario, plan })))
    .slice(0, 4)
  collectGarbage()
  const before = process.memoryUsage()
  for (const { scenario, plan } of plans) await executeRun(scenario.id, plan, scenario.seed)
  const after = process.memoryUsage()
  const added = (after.external - before.external) / MB
  return {
    suite: 'longrun',
    case: 'four-scenario-replays',
    metric: 'external memory added, before any collection',
    unit: 'MiB',
    pipeline: added,
    bare: null,
    ratio: null,
    target: '< 16 MiB',
    pass: added < 16,
    notes: `${plans.map(({ scenario, plan }) => `${scenario.id}/${plan.run}`).join(', ')}; array buffers ${((after.arrayBuffers - before.arrayBuffers) / MB).toFixed(1)} MiB`
  }
}

let longRunResults: Promise<CaseResult[]> | null = null
const longRunCase = (index: number) => async (): Promise<CaseResult> => {
  longRunResults ??= longRun()
  return (await longRunResults)[index] as CaseResult
}

await runCases(args, [scenarioReplays, longRunCase(0), longRunCase(1)])
