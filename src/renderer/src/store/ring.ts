/**
 * A fixed-capacity ring buffer as a plain value, so the store stays serialisable and cheap to copy once per batch.
 * Its slots are held in chunks that a copy shares with its original until it writes to one, so copying a ring costs
 * its number of chunks and a batch's writes cost the chunks they touch: a lane kept at 100,000 entries costs about
 * what one kept at 500 does, not 200 times more.
 * Functions that write (`ringPush`, `ringSet`) mutate: call them only on a ring this batch already copied with
 * `ringClone` (or created).
 */
export interface Ring<T> {
  readonly capacity: number
  /** Slot of the oldest element. */
  start: number
  size: number
  /** The slots, CHUNK at a time: slot p is `chunks[p / CHUNK][p % CHUNK]`. */
  chunks: T[][]
  /** Per chunk: false while it is shared with the ring this one was copied from (copy it before writing). */
  writable: boolean[]
}

const CHUNK = 256

export function createRing<T>(capacity: number): Ring<T> {
  return { capacity: Math.max(1, Math.floor(capacity)), start: 0, size: 0, chunks: [], writable: [] }
}

export function ringClone<T>(ring: Ring<T>): Ring<T> {
  return {
    capacity: ring.capacity,
    start: ring.start,
    size: ring.size,
    chunks: ring.chunks.slice(),
    writable: new Array<boolean>(ring.chunks.length).fill(false)
  }
}

function readSlot<T>(ring: Ring<T>, slot: number): T | undefined {
  return ring.chunks[Math.floor(slot / CHUNK)]?.[slot % CHUNK]
}

function writeSlot<T>(ring: Ring<T>, slot: number, item: T): void {
  const index = Math.floor(slot / CHUNK)
  let chunk = ring.chunks[index]
  if (chunk === undefined || ring.writable[index] !== true) {
    chunk = chunk === undefined ? [] : chunk.slice()
    ring.chunks[index] = chunk
    ring.writable[index] = true
  }
  chunk[slot % CHUNK] = item
}

/** Appends `item`; returns the element it pushed out when full, so the caller can fold it into a summary. */
export function ringPush<T>(ring: Ring<T>, item: T): T | undefined {
  if (ring.size < ring.capacity) {
    writeSlot(ring, (ring.start + ring.size) % ring.capacity, item)
    ring.size += 1
    return undefined
  }
  const evicted = readSlot(ring, ring.start)
  writeSlot(ring, ring.start, item)
  ring.start = (ring.start + 1) % ring.capacity
  return evicted
}

/** The i-th element, oldest first; lets a virtualised list read a row without materialising the ring. */
export function ringAt<T>(ring: Ring<T>, index: number): T | undefined {
  if (index < 0 || index >= ring.size) return undefined
  return readSlot(ring, (ring.start + index) % ring.capacity)
}

/** Replaces the element at `index` (oldest first); the ring must be this batch's copy. */
export function ringSet<T>(ring: Ring<T>, index: number, item: T): void {
  if (index < 0 || index >= ring.size) return
  writeSlot(ring, (ring.start + index) % ring.capacity, item)
}

export function ringToArray<T>(ring: Ring<T>): T[] {
  const out: T[] = []
  for (let i = 0; i < ring.size; i += 1) out.push(readSlot(ring, (ring.start + i) % ring.capacity) as T)
  return out
}

export function ringLast<T>(ring: Ring<T>): T | undefined {
  return ringAt(ring, ring.size - 1)
}
