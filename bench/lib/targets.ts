import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EventPushBatcher } from '../../src/main/host/eventPushBatcher'
import type { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { Recorder } from '../../src/main/runtime/inspection/recorder'
import { Runtime } from '../../src/main/runtime/runtime'
import { UnifiedIdGenerator } from '../../src/main/runtime/ids/unifiedIdGenerator'
import type { JudgeMode } from '../../src/main/runtime/users/workerProtocol'
import type { JudgedSink } from '../../src/main/runtime/users/workerUserPool'
import { startBareWsServer, type BareSend } from './bareWsServer'

/** What a case needs from the system under test: where users connect and where their deliveries go. */
export interface Target {
  readonly name: 'pipeline' | 'bare' | 'bare-ws-send'
  newUserId(): string
  userUrl(userId: string): string
  /** What the users' worker prepares for the sink: the pipeline's inspection lines, or the baseline's counts. */
  readonly judge: JudgeMode
  /** Receives every delivery the simulated users report, judged, a batch at a time. */
  readonly sink: JudgedSink
  readonly openSockets: number
  /** Closes sockets, then judges: violations and runs with missing or out-of-order events. */
  finish(): Promise<{ violations: number; runsMissing: number; inspectionEvents: number }>
  close(): Promise<void>
}

/**
 * The host's side of the inspection stream, with RuntimeHost's own batcher: every event gathered into pushes of
 * 2,000 events or 50 ms. No UI is attached here, so the pushes are counted, not sent: the ui suite measures that.
 */
function tapInspectionStream(bus: InspectionBus): () => number {
  let pushes = 0
  const batcher = new EventPushBatcher(bus, () => (pushes += 1), { maxEvents: 2_000, flushMs: 50 })
  return () => {
    batcher.close()
    return pushes
  }
}

/**
 * The full pipeline: runtime (factory, managers, bridge, agent runs, auditor), inspection stream and recorder.
 * `recordTo` replaces the recording's temporary file (the long-run case records to /dev/null: 50 million
 * deliveries would write tens of GB).
 */
export async function startPipeline(options: { recordTo?: string } = {}): Promise<Target> {
  // Every run is still checked (finalize() at the end); the grace only keeps a loaded machine's late deliveries
  // from being counted missing while they are on their way.
  const runtime = await Runtime.start({ seed: 1, missingGraceMs: 30_000 })
  const dir = mkdtempSync(join(tmpdir(), 'si-bench-'))
  const recorder = new Recorder(runtime.bus, options.recordTo ?? join(dir, 'recording.ndjson'))
  const untap = tapInspectionStream(runtime.bus)
  const auditor = runtime.auditor
  let closed = false
  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    untap()
    await recorder.close()
    await runtime.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return {
    name: 'pipeline',
    newUserId: () => runtime.ids.userId(),
    userUrl: (userId) => runtime.userUrl(userId),
    judge: 'inspect',
    sink: auditor.recordJudged.bind(auditor),
    get openSockets() {
      return runtime.server.openSockets
    },
    async finish() {
      for (let tries = 0; tries < 400 && runtime.server.openSockets > 0; tries++)
        await new Promise((resolve) => setTimeout(resolve, 5))
      auditor.finalize()
      const inspectionEvents = runtime.bus.emitted
      await close()
      return {
        violations: auditor.violations,
        runsMissing: auditor.runsWithMissingEvents + auditor.runsOutOfOrder,
        inspectionEvents
      }
    },
    close
  }
}

/**
 * The baseline with the same clients: the bare server (sending with the runtime's FrameWriter unless told
 * `ws.send`), and a sink that only counts foreign deliveries (its worker reports latencies and which deliveries
 * were foreign, nothing more).
 */
export async function startBare(send: BareSend = 'writer'): Promise<Target> {
  const server = await startBareWsServer(send)
  const ids = new UnifiedIdGenerator(1)
  let violations = 0
  return {
    name: send === 'writer' ? 'bare' : 'bare-ws-send',
    newUserId: () => ids.userId(),
    userUrl: (userId) => server.userUrl(userId),
    judge: 'count',
    sink: (batch) => {
      violations += batch.violationAt.length
    },
    get openSockets() {
      return server.openSockets
    },
    async finish() {
      await server.close()
      return { violations, runsMissing: 0, inspectionEvents: 0 }
    },
    close: () => server.close()
  }
}
