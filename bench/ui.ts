import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { chromium, type Page } from '@playwright/test'
import { createRuntimeHost } from '../src/main/host/runtimeHost'
import { startWebServer } from '../src/main/host/web'
import { benchArgs } from './lib/args'
import { caseLine, report, type CaseResult } from './lib/result'
import { percentile } from './lib/percentile'

/**
 * The UI under a flood, in headless Chromium through web mode: 20 lanes, 10k agent events/s. Measures the page's
 * frame intervals while the flood runs, then floods on until the renderer has folded a million inspection events
 * and reads its JS heap after a collection, then floods at five times the rate with the page's main thread held
 * most of the time, so that it falls behind. Counts control-channel reconnects throughout (target: none at any rate).
 * Relies only on the documented data-testids (docs/testing.md).
 */
const args = benchArgs()
const LANES = 20
const RATE = 10_000
const PACED_MS = args.quick ? 3_000 : 10_000
const HEAP_AFTER_EVENTS = args.quick ? 100_000 : 1_000_000
/** The million-event flood gives up after this long and reports how far the page got, rather than hang. */
const FLOOD_DEADLINE_MS = args.quick ? 60_000 : 240_000
/** The overload: five times the rate, the page's main thread held for BLOCK_MS of every HOLD_EVERY_MS. */
const OVERLOAD_RATE = 5 * RATE
const OVERLOAD_MS = args.quick ? 6_000 : 20_000
const BLOCK_MS = 1_500
const HOLD_EVERY_MS = 2_000
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

if (!process.argv.includes('--no-build')) execFileSync('npm', ['run', '-s', 'build:web'], { stdio: 'ignore' })

const host = await createRuntimeHost({ seed: 1, stepDelayMs: 0 })
const web = await startWebServer({ host, port: 0, log: () => {} })
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: CHROMIUM_ARGS
})

const eventCount = async (page: Page): Promise<number> =>
  Number(await page.getByTestId('event-count').getAttribute('data-count'))

/** Starts runs for every user so that `rate` agent events a second are emitted, until `until()` says stop. */
async function flood(rate: number, until: () => Promise<boolean> | boolean): Promise<number> {
  const started = performance.now()
  let runs = 0
  while (!(await until())) {
    const due = Math.floor((((performance.now() - started) / 1000) * (rate / 5)) / LANES)
    if (due > runs) {
      await host.handle({ cmd: 'start_runs', runs: Math.min(1000, due - runs) })
      runs = due
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return runs * LANES * 5
}

let results: CaseResult[]
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  let frames = 0
  // Every control channel the page opens after its first is a reconnect.
  let sockets = 0
  page.on('websocket', (socket) => {
    sockets += 1
    socket.on('framereceived', () => (frames += 1))
  })
  await page.goto(web.url)
  await page.getByTestId('connection-status').and(page.locator('[data-status="open"]')).waitFor()
  await page.getByTestId('tab-users').click()
  await page.getByTestId('add-users-count').fill(String(LANES))
  await page.getByTestId('add-users-button').click()
  await page
    .getByTestId('lanes')
    .and(page.locator(`[data-count="${LANES}"]`))
    .waitFor()
  // BENCH_UI_LANE_CAPACITY=n: the flood with lanes keeping n events each (the user's bound) instead of the default.
  if (process.env.BENCH_UI_LANE_CAPACITY) {
    await page.getByTestId('lane-capacity-input').fill(process.env.BENCH_UI_LANE_CAPACITY)
    await page.getByTestId('lane-capacity-input').press('Enter')
  }

  // Frame intervals while the flood runs at 10k events/s.
  // A string, not a function: tsx's transform would add helpers the page does not have.
  await page.evaluate(`(() => {
    const intervals = []
    let last = performance.now()
    const loop = (now) => { intervals.push(now - last); last = now; requestAnimationFrame(loop) }
    requestAnimationFrame(loop)
    window.__intervals = intervals
  })()`)
  // BENCH_UI_PROFILE=file.cpuprofile: the renderer's CPU profile over the paced flood, for Chrome's DevTools.
  const profiler = process.env.BENCH_UI_PROFILE ? await page.context().newCDPSession(page) : null
  await profiler?.send('Profiler.enable')
  await profiler?.send('Profiler.start')
  // BENCH_UI_TRACE=file.json: a performance timeline (style, layout, paint, scripting) of the same window.
  const tracer = process.env.BENCH_UI_TRACE ? await page.context().newCDPSession(page) : null
  const traceEvents: unknown[] = []
  tracer?.on('Tracing.dataCollected', (data: { value: unknown[] }) => traceEvents.push(...data.value))
  await tracer?.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink,cc,gpu',
    transferMode: 'ReportEvents'
  })
  const framesBefore = frames
  const countBefore = await eventCount(page)
  const pacedStart = performance.now()
  const cpuBefore = process.cpuUsage()
  const emitted = await flood(RATE, () => performance.now() - pacedStart >= PACED_MS)
  const cpu = process.cpuUsage(cpuBefore)
  const hostCpuPercent = ((cpu.user + cpu.system) / 1000 / (performance.now() - pacedStart)) * 100
  const intervals = (await page.evaluate('window.__intervals')) as number[]
  const pacedCount = (await eventCount(page)) - countBefore
  const pushFrames = frames - framesBefore
  const p95 = percentile(intervals.slice(5), 95)
  if (profiler && process.env.BENCH_UI_PROFILE) {
    const { profile } = (await profiler.send('Profiler.stop')) as { profile: unknown }
    writeFileSync(process.env.BENCH_UI_PROFILE, JSON.stringify(profile))
  }
  if (tracer && process.env.BENCH_UI_TRACE) {
    const complete = new Promise((resolve) => tracer.once('Tracing.tracingComplete', resolve))
    await tracer.send('Tracing.end')
    await complete
    writeFileSync(process.env.BENCH_UI_TRACE, JSON.stringify({ traceEvents }))
  }

  // Then on to a million inspection events, and the heap once collected.
  const floodStart = performance.now()
  const socketsBefore = sockets
  await flood(
    RATE,
    async () =>
      (await eventCount(page)) >= HEAP_AFTER_EVENTS || performance.now() - floodStart > FLOOD_DEADLINE_MS
  )
  const floodMs = performance.now() - floodStart
  await new Promise((resolve) => setTimeout(resolve, 500))
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('HeapProfiler.collectGarbage')
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }
  const folded = (await page.evaluate(`[...document.querySelectorAll('[data-testid^="lane-folded-"]')]
    .reduce((sum, element) => sum + Number(element.getAttribute('data-count') ?? 0), 0)`)) as number
  const rows = await page.getByTestId('lane-event').count()
  const finalCount = await eventCount(page)
  const heapMb = heap.usedSize / 1024 / 1024
  const floodReconnects = sockets - socketsBefore

  // Overload: the page cannot keep up; it must be sent summaries, never be cut.
  const overloadStart = performance.now()
  let heldAt = -Infinity
  const overloadEmitted = await flood(OVERLOAD_RATE, () => {
    const now = performance.now()
    if (now - heldAt >= HOLD_EVERY_MS) {
      heldAt = now
      const hold = `(() => { const end = performance.now() + ${BLOCK_MS}; while (performance.now() < end) {} })()`
      page.evaluate(hold).catch(() => {})
    }
    return now - overloadStart >= OVERLOAD_MS
  })
  const summarised = (await page.evaluate(`[...document.querySelectorAll('[data-testid^="lane-summarised-"]')]
    .reduce((sum, element) => sum + Number(element.getAttribute('data-count') ?? 0), 0)`)) as number
  const reconnects = sockets - 1

  results = [
    {
      suite: 'ui',
      case: `flood-${LANES}-lanes-10k-per-s`,
      metric: 'p95 interval between animation frames',
      unit: 'ms',
      pipeline: p95,
      bare: null,
      ratio: null,
      target: '<= 50 ms',
      pass: p95 <= 50,
      notes:
        `${PACED_MS / 1000} s, ${emitted} agent events started, ${pacedCount} inspection events shown in ` +
        `${pushFrames} WebSocket messages (${(pacedCount / Math.max(1, pushFrames)).toFixed(0)} a message); ` +
        `${intervals.length} frames, p50 ${percentile(intervals.slice(5), 50).toFixed(0)} ms, ` +
        `max ${Math.max(...intervals).toFixed(0)} ms; bench process (runtime, host, web server, Playwright) ` +
        `${hostCpuPercent.toFixed(0)}% of a core`
    },
    {
      suite: 'ui',
      case: `heap-after-${HEAP_AFTER_EVENTS / 1000}k-events`,
      metric: 'renderer JS heap after GC',
      unit: 'MB',
      pipeline: heapMb,
      bare: null,
      ratio: null,
      target: '< 200 MB',
      pass: heapMb < 200 && finalCount >= HEAP_AFTER_EVENTS,
      notes:
        `${finalCount} inspection events folded (flood ${(floodMs / 1000).toFixed(0)} s, ` +
        `${floodReconnects} control-channel reconnects); ${rows} lane rows in ` +
        `the DOM; ${folded} events folded out of the lanes`
    },
    {
      suite: 'ui',
      case: 'reconnects-at-any-rate',
      metric: 'control-channel reconnects',
      unit: '',
      pipeline: reconnects,
      bare: null,
      ratio: null,
      target: '0',
      pass: reconnects === 0,
      notes:
        `over the whole suite: paced, the ${HEAP_AFTER_EVENTS / 1000}k-event flood, then ` +
        `${OVERLOAD_MS / 1000} s at ${OVERLOAD_RATE / 1000}k agent events/s (${overloadEmitted} started) with the ` +
        `page's main thread held ${BLOCK_MS} ms of every ${HOLD_EVERY_MS}; ${summarised} events reached the lanes as ` +
        `summaries ("N events summarised") instead of events`
    }
  ]
  for (const result of results) console.log(caseLine(result))
} finally {
  await browser.close()
  await web.close()
  await host.close()
}
report(args, results)
process.exit(0)
