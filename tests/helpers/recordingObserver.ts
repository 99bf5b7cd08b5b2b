import type {
  ClosedBy,
  FrameDirection,
  ObservedRequest,
  RelayObserver
} from '../../src/main/observe/relayObserver'

export type Observed =
  | { kind: 'opened'; id: string; request: ObservedRequest }
  | { kind: 'message'; id: string; direction: FrameDirection; data: Buffer; isBinary: boolean }
  | { kind: 'closed'; id: string; code: number; reason: string; closedBy: ClosedBy }

/** A RelayObserver for tests: keeps everything it is told, in order, and lets a test wait for a condition. */
export class RecordingObserver implements RelayObserver {
  readonly seen: Observed[] = []
  private nextId = 1
  private readonly waiters = new Set<() => void>()

  connectionOpened(request: ObservedRequest): string {
    const id = `c${this.nextId++}`
    this.push({ kind: 'opened', id, request })
    return id
  }

  message(id: string, direction: FrameDirection, data: Buffer, isBinary: boolean): void {
    this.push({ kind: 'message', id, direction, data: Buffer.from(data), isBinary })
  }

  connectionClosed(id: string, code: number, reason: string, closedBy: ClosedBy): void {
    this.push({ kind: 'closed', id, code, reason, closedBy })
  }

  messages(direction?: FrameDirection): Array<Extract<Observed, { kind: 'message' }>> {
    return this.seen.filter(
      (seen): seen is Extract<Observed, { kind: 'message' }> =>
        seen.kind === 'message' && (direction === undefined || seen.direction === direction)
    )
  }

  closed(): Array<Extract<Observed, { kind: 'closed' }>> {
    return this.seen.filter((seen): seen is Extract<Observed, { kind: 'closed' }> => seen.kind === 'closed')
  }

  /** Resolves when `condition` holds after something is observed (or already does); rejects after timeoutMs. */
  waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (condition()) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check)
        reject(new Error(`observer: no ${what} within ${timeoutMs} ms; saw ${this.seen.length} events`))
      }, timeoutMs)
      const check = (): void => {
        if (!condition()) return
        clearTimeout(timer)
        this.waiters.delete(check)
        resolve()
      }
      this.waiters.add(check)
    })
  }

  private push(seen: Observed): void {
    this.seen.push(seen)
    for (const check of [...this.waiters]) check()
  }
}
