/**
 * A fixed-capacity ring buffer as a plain value, so the store stays serialisable and cheap to copy once per batch.
 * Functions that write (`ringPush`) mutate: call them only on a ring this batch already copied with `ringClone`.
 */
export interface Ring<T> {
  readonly capacity: number
  /** Index in `items` of the oldest element. */
  start: number
  size: number
  items: T[]
}

export function createRing<T>(capacity: number): Ring<T> {
  return { capacity: Math.max(1, Math.floor(capacity)), start: 0, size: 0, items: [] }
}

export function ringClone<T>(ring: Ring<T>): Ring<T> {
  return { capacity: ring.capacity, start: ring.start, size: ring.size, items: ring.items.slice() }
}

/** Appends `item`; returns the element it pushed out when full, so the caller can fold it into a summary. */
export function ringPush<T>(ring: Ring<T>, item: T): T | undefined {
  if (ring.size < ring.capacity) {
    ring.items[(ring.start + ring.size) % ring.capacity] = item
    ring.size += 1
    return undefined
  }
  const evicted = ring.items[ring.start]
  ring.items[ring.start] = item
  ring.start = (ring.start + 1) % ring.capacity
  return evicted
}

/** The i-th element, oldest first; lets a virtualised list read a row without materialising the ring. */
export function ringAt<T>(ring: Ring<T>, index: number): T | undefined {
  if (index < 0 || index >= ring.size) return undefined
  return ring.items[(ring.start + index) % ring.capacity]
}

/** Replaces the element at `index` (oldest first); the ring must be this batch's copy. */
export function ringSet<T>(ring: Ring<T>, index: number, item: T): void {
  if (index < 0 || index >= ring.size) return
  ring.items[(ring.start + index) % ring.capacity] = item
}

export function ringToArray<T>(ring: Ring<T>): T[] {
  const out: T[] = []
  for (let i = 0; i < ring.size; i += 1) out.push(ring.items[(ring.start + i) % ring.capacity] as T)
  return out
}

export function ringLast<T>(ring: Ring<T>): T | undefined {
  return ringAt(ring, ring.size - 1)
}
