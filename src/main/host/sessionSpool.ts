import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { InspectionBus } from '../runtime/inspection/inspectionBus'
import { Recorder, type RecordedSoFar } from '../runtime/inspection/recorder'

/**
 * The whole session's stream, recorded to a file in a private temp directory from the moment a runtime boots: the
 * history ring keeps only the last events, an export must hold them all. One file per runtime (a reboot starts a
 * new session and deletes the last file); the directory goes when the host closes.
 */
export class SessionSpool {
  private recorder: Recorder | null = null
  private sessions = 0

  private constructor(private readonly dir: string) {}

  static async create(): Promise<SessionSpool> {
    return new SessionSpool(await mkdtemp(join(tmpdir(), 'session-inspector-spool-')))
  }

  /** Records `bus` from its first event (its history, still whole at boot) on. */
  start(bus: InspectionBus): void {
    this.sessions += 1
    this.recorder = new Recorder(bus, join(this.dir, `session-${this.sessions}.ndjson`), {
      includeHistory: true
    })
  }

  /** Stops recording and deletes the file. */
  async stop(): Promise<void> {
    const recorder = this.recorder
    this.recorder = null
    if (recorder === null) return
    await recorder.close()
    await rm(recorder.path, { force: true })
  }

  /** The recording so far, every line of it on disk. */
  async settled(): Promise<RecordedSoFar> {
    if (this.recorder === null) throw new Error('no session is being recorded')
    return this.recorder.settled()
  }

  async close(): Promise<void> {
    await this.stop()
    await rm(this.dir, { recursive: true, force: true })
  }
}
