import { execFileSync } from 'node:child_process'
import { chromium, type CDPSession, type Page } from '@playwright/test'
import { createRuntimeHost } from '../src/main/host/runtimeHost'
import { startWebServer } from '../src/main/host/web'
import { benchArgs } from './lib/args'
import { benchRecording } from './lib/recordingFile'
import { caseLine, report, type CaseResult } from './lib/result'
import { percentile } from './lib/percentile'

/**
 * Opening a recording of 1 GB (100 MB with --quick) in the app, in headless Chromium through web mode, as a user
 * would from the Sessions tab: time to the first view, indexing throughput, scrub latency at random cursors, and
 * the renderer's JS heap (the page's and the indexing worker's) after a collection. Relies only on the documented
 * data-testids (docs/testing.md).
 */
const args = benchArgs()
const BYTES = args.quick ? 100e6 : 1e9
const SCRUBS = 50
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']

if (!process.argv.includes('--no-build')) execFileSync('npm', ['run', '-s', 'build:web'], { stdio: 'ignore' })
const file = await benchRecording(BYTES)
const MB = file.bytes / 1e6
console.log(`recording: ${file.path}, ${MB.toFixed(0)} MB, ${file.events} events`)

const host = await createRuntimeHost({ seed: 1, stepDelayMs: 0 })
const web = await startWebServer({ host, port: 0, log: () => {} })
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: CHROMIUM_ARGS
})

/**
 * In the page: moves the scrubber to `cursor` as a user's input would and resolves with the milliseconds until the
 * views show that cursor's state (replay-banner's data-shown-position). A string: tsx's helpers are not in the page.
 */
const scrubScript = (cursor: number): string => `new Promise((resolve) => {
  const banner = document.querySelector('[data-testid="replay-banner"]')
  const scrubber = document.querySelector('[data-testid="replay-scrubber"]')
  const started = performance.now()
  const done = () => banner.getAttribute('data-shown-position') === '${cursor}'
  const observer = new MutationObserver(() => { if (done()) { observer.disconnect(); resolve(performance.now() - started) } })
  observer.observe(banner, { attributes: true, attributeFilter: ['data-shown-position'] })
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set
  setValue.call(scrubber, '${cursor}')
  scrubber.dispatchEvent(new Event('input', { bubbles: true }))
  if (done()) { observer.disconnect(); resolve(performance.now() - started) }
})`

/** The JS heap of every worker of the page, after a collection, through CDP's target attachment (not flattened). */
async function workerHeaps(cdp: CDPSession): Promise<number[]> {
  const sessions: string[] = []
  cdp.on('Target.attachedToTarget', (event: { sessionId: string; targetInfo: { type: string } }) => {
    if (event.targetInfo.type === 'worker') sessions.push(event.sessionId)
  })
  const replies = new Map<number, (value: unknown) => void>()
  cdp.on('Target.receivedMessageFromTarget', (event: { message: string }) => {
    const message = JSON.parse(event.message) as { id?: number; result?: unknown }
    if (message.id !== undefined) replies.get(message.id)?.(message.result)
  })
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false })
  let id = 1
  const ask = (sessionId: string, method: string): Promise<unknown> =>
    new Promise((resolve) => {
      const messageId = id++
      replies.set(messageId, resolve)
      void cdp.send('Target.sendMessageToTarget', {
        sessionId,
        message: JSON.stringify({ id: messageId, method })
      })
    })
  const heaps: number[] = []
  for (const sessionId of sessions) {
    await ask(sessionId, 'HeapProfiler.collectGarbage')
    heaps.push(((await ask(sessionId, 'Runtime.getHeapUsage')) as { usedSize: number }).usedSize / 1e6)
  }
  return heaps
}

/**
 * In the page: resolves once `condition` holds, checked every 5 ms. Evaluated as a script (CDP), since the page's
 * CSP forbids the eval that waitForFunction needs; `banner()` is the replay banner.
 */
const untilInPage = (condition: string): string => `new Promise((resolve) => {
  const banner = () => document.querySelector('[data-testid="replay-banner"]')
  const check = () => (${condition}) ? resolve(true) : setTimeout(check, 5)
  check()
})`

async function shownPosition(page: Page): Promise<number> {
  return Number(await page.getByTestId('replay-banner').getAttribute('data-shown-position'))
}

let results: CaseResult[]
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  await page.goto(web.url)
  await page.getByTestId('connection-status').and(page.locator('[data-status="open"]')).waitFor()
  await page.getByTestId('tab-sessions').click()

  const started = performance.now()
  await page.getByTestId('recording-open-input').setInputFiles(file.path)
  await page.evaluate(untilInPage(`Number(banner()?.getAttribute('data-shown-position') || 0) > 0`))
  const firstViewMs = performance.now() - started
  const firstViewAt = await shownPosition(page)
  await page.evaluate(untilInPage(`banner()?.getAttribute('data-loading') === 'false'`))
  const indexedMs = performance.now() - started
  const total = Number(await page.getByTestId('replay-position').getAttribute('data-total'))
  const failure = await page.getByTestId('replay-failure').count()
  await page
    .getByTestId('replay-banner')
    .and(page.locator(`[data-shown-position="${total}"]`))
    .waitFor({ timeout: 0 })

  // Random scrubs anywhere: a seeded sequence, so every run asks for the same cursors.
  let seed = 7
  const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
  const scrubs: number[] = []
  for (let index = 0; index < SCRUBS; index++) {
    scrubs.push((await page.evaluate(scrubScript(1 + Math.floor(random() * (total - 1))))) as number)
  }

  const cdp = await page.context().newCDPSession(page)
  await cdp.send('HeapProfiler.collectGarbage')
  const pageHeap = ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize / 1e6
  const workers = await workerHeaps(cdp)
  const workerHeap = workers.reduce((sum, heap) => sum + heap, 0)
  const heap = pageHeap + workerHeap
  const throughput = MB / (indexedMs / 1000)
  const p95 = percentile(scrubs, 95)
  const size = `${MB.toFixed(0)} MB`
  const base = { suite: 'recording', unit: '', bare: null, ratio: null }
  results = [
    {
      ...base,
      case: `open-${size.replace(' ', '')}`,
      metric: 'time to first view',
      unit: 'ms',
      pipeline: firstViewMs,
      target: 'report',
      pass: total === file.events && failure === 0,
      notes: `${size}, ${file.events} events; the first view showed ${firstViewAt} events; ${total} indexed`
    },
    {
      ...base,
      case: `index-${size.replace(' ', '')}`,
      metric: 'indexing throughput',
      unit: 'MB/s',
      pipeline: throughput,
      target: '>= 100 MB/s',
      pass: throughput >= 100,
      notes: `whole file indexed in ${(indexedMs / 1000).toFixed(1)} s`
    },
    {
      ...base,
      case: `scrub-${size.replace(' ', '')}`,
      metric: `p95 of ${SCRUBS} random scrubs (cursor set to view shown)`,
      unit: 'ms',
      pipeline: p95,
      target: 'report',
      pass: true,
      notes: `p50 ${percentile(scrubs, 50).toFixed(0)} ms, max ${Math.max(...scrubs).toFixed(0)} ms`
    },
    {
      ...base,
      case: `heap-${size.replace(' ', '')}`,
      metric: 'renderer JS heap after GC (page + indexing worker)',
      unit: 'MB',
      pipeline: heap,
      target: '< 300 MB',
      pass: heap < 300 && workers.length > 0,
      notes: `page ${pageHeap.toFixed(0)} MB, worker ${workers.map((w) => w.toFixed(0)).join(' + ') || 'not measured'} MB`
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
