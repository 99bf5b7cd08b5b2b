import type { InspectionEvent } from '../../../shared/inspection'
import type { HelloResult } from '../../../shared/inspectorApi'
import type { PushSummary } from '../../../shared/pushSummary'
import { LIMITS, reduceEvents, reduceSummary, reset, setLaneCapacity, type InspectorState } from '../store'

/** Queued events are folded on an animation frame, at most this often: the UI redraws at most this often. */
const FLUSH_INTERVAL_MS = 50
/** Past this many queued events, fold now rather than wait (keeps the queue bounded in a throttled tab). */
const MAX_QUEUED = 20_000

/**
 * Holds the current projection for React (`useSyncExternalStore`) and coalesces pushes into one reducer batch per
 * tick. Events that arrive before the first `hello` wait in the queue; the reducer's seq check drops the overlap.
 */
export class LiveProjection {
  private state: InspectorState | null = null
  private queue: InspectionEvent[] = []
  private timer: ReturnType<typeof setTimeout> | null = null
  private frame: number | null = null
  private lastFlushAt = -Infinity
  private readonly listeners = new Set<() => void>()
  private laneCapacity: number = LIMITS.defaultLaneCapacity

  readonly getSnapshot = (): InspectorState | null => this.state

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  /**
   * Starts over from a hello. A `reset` push drops the queue (those events came from the runtime it replaced); a
   * hello reply keeps it, since events pushed while the reply travelled are newer than its history.
   */
  resetFrom(hello: HelloResult, options: { dropQueued: boolean }): void {
    if (options.dropQueued) this.queue = []
    this.state = reset(hello, this.laneCapacity)
    this.flush()
    this.emit()
  }

  enqueue(events: readonly InspectionEvent[]): void {
    for (const event of events) this.queue.push(event)
    if (this.state === null) {
      // Nothing to fold into yet; keep only the newest events, the coming hello carries the rest.
      if (this.queue.length > MAX_QUEUED) this.queue.splice(0, this.queue.length - MAX_QUEUED)
      return
    }
    if (this.queue.length >= MAX_QUEUED) this.flush()
    else this.schedule()
  }

  /**
   * Counts of events the server did not send (this tab fell behind). Folded in order: after the events queued
   * before it, which include the ones kept for it. Before the first hello there is nothing to count them in, and
   * the hello's history holds them.
   */
  applySummary(summary: PushSummary): void {
    if (this.state === null) return
    this.flush()
    const next = reduceSummary(this.state, summary)
    if (next === this.state) return
    this.state = next
    this.emit()
  }

  /** Folds what is queued now: a reply's effects, pushed just before it, are then in the state its caller reads. */
  settle(): void {
    this.flush()
  }

  setLaneCapacity(capacity: number): void {
    this.laneCapacity = capacity
    if (this.state === null) return
    this.state = setLaneCapacity(this.state, capacity)
    this.emit()
  }

  dispose(): void {
    this.cancelScheduled()
    this.listeners.clear()
  }

  /**
   * One fold per animation frame at most, and at most one per FLUSH_INTERVAL_MS: the reducer, React's commit and
   * the browser's style, layout and paint then run once for everything that arrived in between.
   */
  private schedule(): void {
    if (this.timer !== null || this.frame !== null) return
    const wait = Math.max(0, this.lastFlushAt + FLUSH_INTERVAL_MS - performance.now())
    this.timer = setTimeout(() => {
      this.timer = null
      this.frame = requestFrame(() => {
        this.frame = null
        this.flush()
      })
    }, wait)
  }

  private cancelScheduled(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    if (this.frame !== null) cancelFrame(this.frame)
    this.timer = null
    this.frame = null
  }

  private flush(): void {
    this.cancelScheduled()
    this.lastFlushAt = performance.now()
    if (this.state === null || this.queue.length === 0) return
    const batch = this.queue
    this.queue = []
    const next = reduceEvents(this.state, batch)
    if (next === this.state) return
    this.state = next
    this.emit()
  }

  private emit(): void {
    for (const listener of this.listeners) listener()
  }
}

// Outside a page (unit tests) there are no animation frames; a zero timer stands in.
const frames = globalThis as {
  requestAnimationFrame?: (callback: () => void) => number
  cancelAnimationFrame?: (handle: number) => void
}
const requestFrame = (callback: () => void): number =>
  frames.requestAnimationFrame?.(callback) ?? (setTimeout(callback, 0) as unknown as number)
const cancelFrame = (handle: number): void =>
  frames.cancelAnimationFrame ? frames.cancelAnimationFrame(handle) : clearTimeout(handle)
