import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import WebSocket, { WebSocketServer } from 'ws'
import { startObserve, type ObserveRun } from '../tests/helpers/observeProcess'
import { benchArgs } from './lib/args'
import { percentile } from './lib/percentile'
import { ratioOf, runCases, type CaseResult } from './lib/result'

/**
 * Observe mode's overhead: server -> client frames through `session-inspector observe` (its own process, relaying
 * and judging every frame as users run it) against the same client connected to the same backend directly, in
 * the same run. Saturated: frames/s. Paced at 10k frames/s: p99 one-way latency (sent and received in this
 * process, so one clock). Alone: `npx tsx bench/observe.ts [--quick]`.
 */
const args = benchArgs()
const ROUNDS = args.quick ? 1 : 3
const SATURATED_FRAMES = args.quick ? 50_000 : 200_000
const PACED_RATE = 10_000
const PACED_MS = args.quick ? 2_000 : 5_000
/** Sends wait while this much is queued on the socket, so the backend never buffers a whole case. */
const HIGH_WATER = 1024 * 1024

interface Backend {
  port: number
  /** Resolves with the next connection's socket. */
  nextClient(): Promise<WebSocket>
  close(): Promise<void>
}

async function startBackend(): Promise<Backend> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false })
  await once(wss, 'listening')
  return {
    port: (wss.address() as AddressInfo).port,
    nextClient: async () => ((await once(wss, 'connection')) as [WebSocket])[0],
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close(() => resolve())
      })
  }
}

/** A frame as a chat backend sends one: its owner's id, and the send time for the latency case. */
const frame = (seq: number, sentAt: number): string =>
  `{"type":"said","user_id":"u1","seq":${seq},"sent_at":${sentAt},"text":"an ordinary line of chat text"}`

async function connectClient(
  url: string,
  backend: Backend
): Promise<{ client: WebSocket; server: WebSocket }> {
  const server = backend.nextClient()
  const client = new WebSocket(`${url}/socket`, { headers: { 'x-user': 'u1' }, perMessageDeflate: false })
  await once(client, 'open')
  return { client, server: await server }
}

/** The backend sends `count` frames as fast as the socket takes them; frames/s as the client receives them. */
async function saturated(url: string, backend: Backend): Promise<number> {
  const { client, server } = await connectClient(url, backend)
  let received = 0
  const done = new Promise<void>((resolve) =>
    client.on('message', () => {
      received += 1
      if (received === SATURATED_FRAMES) resolve()
    })
  )
  const started = performance.now()
  let sent = 0
  const pump = (): void => {
    while (sent < SATURATED_FRAMES && server.bufferedAmount < HIGH_WATER) server.send(frame(sent++, 0))
    if (sent < SATURATED_FRAMES) setImmediate(pump)
  }
  pump()
  await done
  const elapsedMs = performance.now() - started
  client.close()
  await once(client, 'close')
  return (SATURATED_FRAMES / elapsedMs) * 1000
}

/** The backend sends at PACED_RATE for PACED_MS; the p99 of send-to-receive times in ms. */
async function paced(url: string, backend: Backend): Promise<number> {
  const { client, server } = await connectClient(url, backend)
  const latencies: number[] = []
  client.on('message', (data: Buffer) => {
    const sentAt = Number(/"sent_at":([\d.]+)/.exec(data.toString('latin1'))?.[1])
    latencies.push(performance.now() - sentAt)
  })
  const total = Math.round((PACED_RATE * PACED_MS) / 1000)
  const started = performance.now()
  let sent = 0
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      // As many as are due by now: 10k/s on average whatever the timer's own jitter.
      const due = Math.min(total, Math.floor(((performance.now() - started) * PACED_RATE) / 1000))
      while (sent < due) server.send(frame(sent++, performance.now()))
      if (sent === total) {
        clearInterval(timer)
        resolve()
      }
    }, 1)
  })
  while (latencies.length < total) await once(client, 'message')
  client.close()
  await once(client, 'close')
  return percentile(latencies, 99)
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor((sorted.length - 1) / 2)] as number
}

/** Alternates direct and through-observe rounds (a shared machine drifts) and reports the medians. */
async function compare(
  measure: (url: string, backend: Backend) => Promise<number>
): Promise<{ direct: number[]; observed: number[] }> {
  const backend = await startBackend()
  const observe: ObserveRun = await startObserve([
    '--upstream',
    `ws://127.0.0.1:${backend.port}`,
    '--user-from',
    'header:x-user',
    '--owner-id',
    '/user_id'
  ])
  const direct: number[] = []
  const observed: number[] = []
  let stopped: Awaited<ReturnType<ObserveRun['stop']>>
  try {
    // Warm-up, so both are measured with a warm JIT on both sides of the proxy.
    await measure(`ws://127.0.0.1:${backend.port}`, backend)
    await measure(observe.url, backend)
    for (let round = 0; round < ROUNDS; round++) {
      direct.push(await measure(`ws://127.0.0.1:${backend.port}`, backend))
      observed.push(await measure(observe.url, backend))
    }
  } finally {
    stopped = await observe.stop()
    await backend.close()
  }
  // Every frame is its own user's: anything but a clean exit means observe misjudged or failed.
  if (stopped.code !== 0) throw new Error(`observe exited with ${stopped.code}: ${stopped.stderr}`)
  return { direct, observed }
}

async function saturatedCase(): Promise<CaseResult> {
  const { direct, observed } = await compare(saturated)
  const ours = median(observed)
  const bare = median(direct)
  const ratio = ratioOf(ours, bare)
  return {
    suite: 'observe',
    case: 'relay-saturated',
    metric: 'server->client frames/s through observe (relayed and judged) vs direct',
    unit: 'frames/s',
    pipeline: ours,
    bare,
    ratio,
    target: '>= 0.8 x direct',
    pass: ratio !== null && ratio >= 0.8,
    notes: `${SATURATED_FRAMES} frames of ${frame(0, 0).length} B; median of ${ROUNDS} (observe ${observed.map((v) => v.toFixed(0)).join(', ')}; direct ${direct.map((v) => v.toFixed(0)).join(', ')})`
  }
}

async function pacedCase(): Promise<CaseResult> {
  const { direct, observed } = await compare(paced)
  const ours = median(observed)
  const bare = median(direct)
  const added = ours - bare
  return {
    suite: 'observe',
    case: 'relay-paced-10k',
    metric: 'p99 one-way latency at 10k frames/s through observe vs direct',
    unit: 'ms',
    pipeline: ours,
    bare,
    ratio: ratioOf(ours, bare),
    target: '<= +1 ms p99',
    pass: added <= 1,
    notes: `added ${added.toFixed(2)} ms; ${PACED_MS / 1000} s at ${PACED_RATE}/s; median of ${ROUNDS} (observe ${observed.map((v) => v.toFixed(2)).join(', ')}; direct ${direct.map((v) => v.toFixed(2)).join(', ')})`
  }
}

await runCases(args, [saturatedCase, pacedCase])
