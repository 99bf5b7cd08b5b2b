import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { ConnectOutcome, UserPool, UserToConnect } from './userPool'
import { z } from 'zod'
import {
  workerReportSchema,
  type JudgeMode,
  type JudgedDeliveries,
  type WorkerCommand,
  type WorkerReport
} from './workerProtocol'

/** Receives the worker's deliveries, judged there, a batch at a time (IsolationAuditor.recordJudged for one). */
export type JudgedSink = (batch: JudgedDeliveries) => void

/**
 * Starts the worker: the built .js next to this file when there is one (the Electron bundle), else the TypeScript
 * source through tsx's loader. Worker threads ignore `--import` in execArgv, so tsx is registered from inside.
 * V8 flags cannot be given here (a Worker refuses them in execArgv with ERR_WORKER_INVALID_EXEC_ARGV): they are
 * the process's, and the worker runs with those its process started with.
 */
function spawnUserWorker(judge: JudgeMode): Worker {
  const workerData = { judge }
  const built = new URL('./userWorker.js', import.meta.url)
  if (existsSync(fileURLToPath(built))) return new Worker(built, { workerData })
  const source = new URL('./userWorker.ts', import.meta.url).href
  const tsxApi = tsxEsmApiUrl()
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}) })`
  return new Worker(bootstrap, { eval: true, workerData })
}

/** The file URL of tsx's ESM API, read from tsx's own exports map so it follows tsx's layout. */
function tsxEsmApiUrl(): string {
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json')
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports: Record<string, { import?: { default?: string } }>
  }
  const entry = manifest.exports['./esm/api']?.import?.default
  if (!entry)
    throw new Error(`tsx at ${manifestPath} has no ./esm/api export; reinstall dependencies with npm ci`)
  return pathToFileURL(join(dirname(manifestPath), entry)).href
}

/**
 * Simulated users in a worker thread: the clients parse frames, and their deliveries are judged and turned into
 * inspection lines, on the second core while the runtime uses the first.
 */
export class WorkerUserPool implements UserPool {
  private readonly worker: Worker
  private nextRequest = 1
  private readonly pending = new Map<number, (report: WorkerReport) => void>()
  readonly refusals: Array<{ user_id: string; message: string }> = []
  private failure: Error | null = null
  /** Set by close(): the exit that terminate() causes (code 1) is then expected, not a crash. */
  private closing = false

  /**
   * `onFailure` hears once, with the reason, when the worker crashes, exits unasked or sends a malformed report.
   * `judge` is what the worker prepares for `sink` (see JudgeMode).
   */
  constructor(
    private readonly sink: JudgedSink,
    private readonly onFailure: (error: Error) => void = () => {},
    judge: JudgeMode = 'inspect'
  ) {
    this.worker = spawnUserWorker(judge)
    this.worker.on('message', (raw: unknown) => this.onReport(raw))
    this.worker.on('error', (error) => this.fail(new Error(`user worker crashed: ${error.message}`)))
    this.worker.on('exit', (code) => {
      if (code !== 0 && !this.closing) this.fail(new Error(`user worker exited with code ${code}`))
    })
  }

  get refusedRuns(): number {
    return this.refusals.length
  }

  /** Why the worker died, or null while it lives. */
  get failed(): Error | null {
    return this.failure
  }

  /**
   * Fault injection: makes the worker die of an uncaught exception, as a bug in it would. Its sockets drop without
   * a close frame and the pool reports `user worker crashed`.
   */
  crash(): void {
    this.worker.postMessage({ type: 'crash' })
  }

  async connect(users: UserToConnect[]): Promise<ConnectOutcome> {
    const report = await this.request((requestId) => ({ type: 'connect', requestId, users }))
    if (report.type !== 'connected')
      throw this.failure ?? new Error(`user worker answered connect with ${report.type}`)
    return { connected: report.connected, failed: report.failed }
  }

  startRuns(runs: number, userId?: string): void {
    this.post(userId === undefined ? { type: 'start_runs', runs } : { type: 'start_runs', runs, userId })
  }

  async disconnect(userId: string): Promise<void> {
    await this.request((requestId) => ({ type: 'disconnect', requestId, userId }))
  }

  async close(): Promise<void> {
    if (!this.failure) await this.request((requestId) => ({ type: 'close', requestId }))
    this.closing = true
    await this.worker.terminate()
  }

  private request(build: (requestId: number) => WorkerCommand): Promise<WorkerReport> {
    if (this.failure) return Promise.reject(this.failure)
    const requestId = this.nextRequest++
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve)
      this.post(build(requestId))
    })
  }

  private post(command: WorkerCommand): void {
    this.worker.postMessage(command)
  }

  private onReport(raw: unknown): void {
    if (this.failure) return
    const parsed = workerReportSchema.safeParse(raw)
    if (!parsed.success) {
      // A worker that breaks the protocol is a bug in it: the pool stops as if it had crashed, saying why.
      this.fail(new Error(`user worker sent a malformed report:\n${z.prettifyError(parsed.error)}`))
      return
    }
    const report = parsed.data
    switch (report.type) {
      case 'deliveries':
        this.sink(report.batch)
        return
      case 'refused_run':
        this.refusals.push({ user_id: report.user_id, message: report.message })
        return
      case 'connected':
      case 'done':
        this.pending.get(report.requestId)?.(report)
        this.pending.delete(report.requestId)
        return
    }
  }

  private fail(error: Error): void {
    // A crash raises 'error' then 'exit': report the first, the cause.
    if (this.failure) return
    this.failure = error
    this.onFailure(error)
    for (const resolve of this.pending.values()) resolve({ type: 'done', requestId: -1 })
    this.pending.clear()
  }
}
