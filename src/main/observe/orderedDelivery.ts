/** Something to tell the observer, held until everything relayed before it has been told. */
type Delivery = () => void

interface Slot {
  delivery: Delivery | null
  settled: boolean
  bytes: number
}

/**
 * Tells the observer what crossed the relay in the order it was relayed, across every connection and both
 * directions, although inflating a compressed message finishes later than relaying it: a canary one user sent
 * must be learned before the frame that carries it to another user is judged.
 *
 * What it holds is bounded by the relay: while more than `highWaterBytes` wait here (or in an inflater, which
 * counts its backlog through hold/release), `congested` is true and the relay pauses reading until `whenClear`.
 */
export class OrderedDelivery {
  private readonly slots: Slot[] = []
  private head = 0
  private heldBytes = 0
  private readonly waiting = new Set<() => void>()
  private idleWaiters: Array<() => void> = []

  constructor(
    private readonly highWaterBytes: number,
    /** An observer that throws must not stop the relay or the deliveries after it. */
    private readonly onObserverError: (error: unknown) => void
  ) {}

  get congested(): boolean {
    return this.heldBytes > this.highWaterBytes
  }

  /** Delivers at once if nothing is pending before it, else in its turn. */
  now(delivery: Delivery, bytes = 0): void {
    if (this.head === this.slots.length) {
      this.deliver(delivery)
      return
    }
    this.slots.push({ delivery, settled: true, bytes })
    this.hold(bytes)
  }

  /** Reserves a place in relay order; settle it with what to deliver (null for nothing) and the bytes it holds. */
  reserve(): (delivery: Delivery | null, bytes: number) => void {
    const slot: Slot = { delivery: null, settled: false, bytes: 0 }
    this.slots.push(slot)
    return (delivery, bytes) => {
      slot.delivery = delivery
      slot.bytes = bytes
      slot.settled = true
      this.hold(bytes)
      this.flush()
    }
  }

  /** Resolves once everything reserved so far has been delivered. */
  idle(): Promise<void> {
    if (this.head === this.slots.length) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  hold(bytes: number): void {
    this.heldBytes += bytes
  }

  release(bytes: number): void {
    this.heldBytes -= bytes
    if (this.congested || this.waiting.size === 0) return
    const waiting = [...this.waiting]
    this.waiting.clear()
    for (const resume of waiting) resume()
  }

  /** Calls `resume` once the backlog is under the high-water mark again. */
  whenClear(resume: () => void): void {
    if (this.congested) this.waiting.add(resume)
    else resume()
  }

  private deliver(delivery: Delivery | null): void {
    try {
      delivery?.()
    } catch (error) {
      this.onObserverError(error)
    }
  }

  private flush(): void {
    while (this.head < this.slots.length) {
      const slot = this.slots[this.head] as Slot
      if (!slot.settled) break
      this.head += 1
      this.deliver(slot.delivery)
      this.release(slot.bytes)
    }
    // Drop delivered slots in one go once they are most of the array, so it never grows with the session.
    if (this.head > 1024 && this.head * 2 > this.slots.length) {
      this.slots.splice(0, this.head)
      this.head = 0
    }
    if (this.head === this.slots.length) {
      this.slots.length = 0
      this.head = 0
      const idle = this.idleWaiters
      this.idleWaiters = []
      for (const resolve of idle) resolve()
    }
  }
}
