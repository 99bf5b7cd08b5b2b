import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import WebSocket from 'ws'
import { InspectionBus } from '../src/main/runtime/inspection/inspectionBus'
import { parseTargetFile } from '../src/main/target/loadTargetFile'
import { ConcurrencyLimit } from '../src/main/target/loadShape'
import { prepareTarget } from '../src/main/target/prepareTarget'
import { runTarget, TARGET_RUN_HISTORY } from '../src/main/target/runTarget'
import { targetExitCode } from '../src/main/target/targetReport'
import { benchArgs } from './lib/args'
import { settledMemory } from './lib/memory'
import { ratioOf, runCases, type CaseResult } from './lib/result'

/**
 * Target mode at scale: N users, R runs each, against the sample backend (in a process of its own, so that its
 * sockets do not share this process's descriptors), and, in the same run, a bare `ws` client pool doing the same
 * work: the same users (query token, the welcome frame as ready), the same start messages, the same frames received
 * as text, and only a count of each user's ended runs. Both connect at most 200 at once and close every socket
 * at the end. Throughput is frames received per second of the whole (connect, runs, close); memory per user is
 * the settled heap and off-heap growth once every user is connected, divided by N.
 */
const args = benchArgs()
const USERS = args.quick ? 1_000 : 10_000
const RUNS = args.quick ? 1 : 2
const CONNECT_CONCURRENCY = 200
const EXAMPLE = new URL('../examples/plain-json.target.json', import.meta.url)

interface Outcome {
  frames: number
  /** Wall time without the collections the memory measurement made. */
  ms: number
  bytesPerUser: number
  connected: number
  /** This process's CPU time (user + system), without the memory measurement's: steadier than wall time. */
  cpuMs: number
  /** Wall time, and CPU time, until every user was connected. */
  connectMs: number
  connectCpuMs: number
  note: string
}

/** CPU milliseconds this process has used so far. */
const cpuNow = (): number => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1_000
}

/** The sample backend on a free port in a child process; resolves with its ws url. */
async function startBackend(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/fixtures/sampleBackend/main.ts', '--port', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  )
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /^(ws:\/\/\S+)/m.exec(out)
      if (match?.[1]) resolve(match[1])
    })
    child.once('exit', (code) => reject(new Error(`the sample backend exited with ${code}`)))
  })
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      })
  }
}

function benchFile() {
  const json = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>
  // No heartbeat (the bare pool sends none) and no settle wait: both stop once every run has ended.
  delete json.heartbeat
  json.timeouts = { connectMs: 60_000, runMs: 300_000, settleMs: 0 }
  json.load = { connectConcurrency: CONNECT_CONCURRENCY }
  return parseTargetFile('bench', JSON.stringify(json))
}

/** Target mode with full auditing: every frame canary-scanned, read, owned and judged. */
async function targetMode(url: string): Promise<Outcome> {
  const before = settledMemory()
  const started = performance.now()
  const cpuStarted = cpuNow()
  const file = benchFile()
  const users = prepareTarget('bench', file, { users: USERS, url: `${url}?room={{room}}` })
  const bus = new InspectionBus(TARGET_RUN_HISTORY)
  let connected = 0
  let bytesPerUser = 0
  let collecting = 0
  let collectingCpu = 0
  let connectMs = 0
  let connectCpuMs = 0
  bus.subscribeKinds(['user_connected'], () => {
    if (++connected !== USERS) return
    const at = performance.now()
    connectMs = at - started
    connectCpuMs = cpuNow() - cpuStarted
    const cpuAt = cpuNow()
    bytesPerUser = (settledMemory() - before) / USERS
    collecting = performance.now() - at
    collectingCpu = cpuNow() - cpuAt
  })
  const report = await runTarget(file, users, { runs: RUNS, bus, url: `${url}?room={{room}}` })
  const ms = performance.now() - started - collecting
  return {
    frames: report.frames.received,
    ms,
    bytesPerUser,
    connected: report.users.connected,
    cpuMs: cpuNow() - cpuStarted - collectingCpu,
    connectMs,
    connectCpuMs,
    note: `exit ${targetExitCode(report)}, ${report.frames.events} events judged, ${report.runs.finished}/${report.runs.requested} runs`
  }
}

/** The baseline: plain ws clients, a frame count and the runs each user has seen end, nothing else. */
async function barePool(url: string): Promise<Outcome> {
  const before = settledMemory()
  const started = performance.now()
  const cpuStarted = cpuNow()
  let frames = 0
  let usersDone = 0
  let allDone: () => void = () => {}
  const done = new Promise<void>((resolve) => (allDone = resolve))
  const limit = new ConcurrencyLimit(CONNECT_CONCURRENCY)
  const open = (index: number): Promise<WebSocket> =>
    limit.run(
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const socket = new WebSocket(`${url}?room=lobby&token=token-user_${index}`, {
            perMessageDeflate: false
          })
          let ended = 0
          socket.on('message', (data: Buffer) => {
            frames += 1
            const text = data.toString()
            if (text.includes('"welcome"')) resolve(socket)
            else if (text.includes('"agent_completed"') && ++ended === RUNS && ++usersDone === USERS)
              allDone()
          })
          socket.once('error', reject)
        })
    )
  const sockets = await Promise.all(Array.from({ length: USERS }, (_, k) => open(k + 1)))
  const at = performance.now()
  const connectMs = at - started
  const connectCpuMs = cpuNow() - cpuStarted
  const cpuAt = cpuNow()
  const bytesPerUser = (settledMemory() - before) / USERS
  const collecting = performance.now() - at
  const collectingCpu = cpuNow() - cpuAt
  for (let run = 1; run <= RUNS; run++)
    for (const [k, socket] of sockets.entries())
      socket.send(
        JSON.stringify({ type: 'start_run', message: `run ${run} of user_${k + 1}, marker m-${k + 1}` })
      )
  await done
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          socket.once('close', () => resolve())
          socket.close(1000, 'done')
        })
    )
  )
  const ms = performance.now() - started - collecting
  const cpuMs = cpuNow() - cpuStarted - collectingCpu
  return { frames, ms, bytesPerUser, connected: sockets.length, cpuMs, connectMs, connectCpuMs, note: '' }
}

async function measure(run: (url: string) => Promise<Outcome>): Promise<Outcome> {
  const backend = await startBackend()
  try {
    return await run(backend.url)
  } finally {
    await backend.stop()
  }
}

/**
 * Alternates the two ROUNDS times and takes each side's median: on this 2-core machine, where the backend shares
 * the cores, one pair's ratio moved between 0.67 and 0.93 from one run to the next, and the median of three
 * between 0.75 and 0.89.
 */
const ROUNDS = args.quick ? 1 : 5
const bares: Outcome[] = []
const oursAll: Outcome[] = []
for (let round = 0; round < ROUNDS; round++) {
  bares.push(await measure(barePool))
  oursAll.push(await measure(targetMode))
}
const perSecond = (outcome: Outcome): number => (outcome.frames / outcome.ms) * 1_000
const medianOf = (outcomes: Outcome[]): Outcome => {
  const sorted = [...outcomes].sort((a, b) => perSecond(a) - perSecond(b))
  return sorted[Math.floor((sorted.length - 1) / 2)] as Outcome
}
const bare = medianOf(bares)
const ours = medianOf(oursAll)
const shape = `${USERS} users x ${RUNS} runs`
const rounds =
  ROUNDS > 1
    ? `median of ${ROUNDS} rounds (ours ${oursAll.map((o) => perSecond(o).toFixed(0)).join(', ')}; bare ${bares.map((o) => perSecond(o).toFixed(0)).join(', ')} frames/s); `
    : ''

async function throughput(): Promise<CaseResult> {
  const ratio = ratioOf(perSecond(ours), perSecond(bare))
  const everyoneConnected = [...oursAll, ...bares].every((outcome) => outcome.connected === USERS)
  return {
    suite: 'target',
    case: `throughput-${USERS}-users`,
    metric: 'frames received per second, connect to close, full auditing vs a bare ws pool',
    unit: 'frames/s',
    pipeline: perSecond(ours),
    bare: perSecond(bare),
    ratio,
    target: '>= 0.8 x bare',
    pass: ratio !== null && ratio >= 0.8 && everyoneConnected,
    notes: `${shape}; ${rounds}target mode ${ours.frames} frames in ${ours.ms.toFixed(0)} ms (all connected at ${ours.connectMs.toFixed(0)} ms, ${ours.connectCpuMs.toFixed(0)} ms of CPU), ${ours.cpuMs.toFixed(0)} ms of CPU (${ours.note}), bare ${bare.frames} in ${bare.ms.toFixed(0)} ms (all connected at ${bare.connectMs.toFixed(0)} ms, ${bare.connectCpuMs.toFixed(0)} ms of CPU), ${bare.cpuMs.toFixed(0)} ms of CPU`
  }
}

async function memory(): Promise<CaseResult> {
  return {
    suite: 'target',
    case: `memory-per-user-${USERS}`,
    metric: 'settled heap + external per connected user',
    unit: 'KiB',
    pipeline: ours.bytesPerUser / 1024,
    bare: bare.bytesPerUser / 1024,
    ratio: ratioOf(ours.bytesPerUser, bare.bytesPerUser),
    target: '< 64 KiB per user',
    pass: ours.bytesPerUser < 64 * 1024,
    notes: `${shape}; every user connected, runs not started`
  }
}

await runCases(args, [throughput, memory])
