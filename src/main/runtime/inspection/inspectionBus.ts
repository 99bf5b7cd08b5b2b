import type {
  InspectionDraft,
  InspectionEvent,
  InspectionEventOf,
  InspectionKind
} from '../../../shared/inspection'
import { LineRing } from './lineRing'
import { integerText } from '../../../shared/numberText'

export type InspectionListener = (event: InspectionEvent) => void
/** Receives each event as its NDJSON line (no newline): serialized once by the bus, shared by every consumer. */
export type InspectionLineListener = (line: string) => void
/**
 * Receives the stream as UTF-8: runs of lines joined by newlines, without a trailing one, as the history ring
 * encoded them (at least once per event-loop turn). The view is valid only during the call.
 */
export type InspectionBytesListener = (bytes: Buffer, lines: number) => void

export interface InspectionBusOptions {
  /** How many events the bus keeps for late subscribers (the UI's hello). Older ones stay in recordings only. */
  historyLimit?: number
  /** How many bytes of lines the bus keeps at most, whatever the count. Default 48 MiB. */
  historyBytes?: number
  /** Clock; tests and deterministic replays may pin it. */
  now?: () => number
}

/** Gives a draft its sequence number and timestamp, in place: drafts are fresh literals their producer gave up. */
function stamped(draft: InspectionDraft, seq: number, ts: number): InspectionEvent {
  const event = draft as InspectionEvent
  event.seq = seq
  event.ts = ts
  return event
}

interface ObjectSubscription {
  /** null: every kind. */
  kinds: ReadonlySet<InspectionKind> | null
  listener: InspectionListener
}

/**
 * The one ordered stream of everything the runtime does. Producers emit drafts (`emit`), or, on the hot paths,
 * their members already written as UTF-8 (`emitEncoded`); the bus stamps a sequence number and a timestamp, and
 * every event becomes one NDJSON line, kept in an off-heap ring for late subscribers and handed to line listeners
 * as is.
 *
 * Objects are for listeners that ask for them, by kind: an event that arrives serialized is parsed only when a
 * listener wants its kind, so a flood of deliveries never becomes objects on this thread unless someone looks.
 * Listeners run synchronously, so they must be cheap (transports batch on their side).
 */
export class InspectionBus {
  private seq = 0
  private readonly subscriptions = new Set<ObjectSubscription>()
  private readonly lineListeners = new Set<InspectionLineListener>()
  private readonly bytesListeners = new Set<InspectionBytesListener>()
  private encodeScheduled = false
  private readonly ring: LineRing
  private readonly now: () => number
  private parsedCache: { seq: number; events: InspectionEvent[] } | null = null
  private readonly heads = new Map<InspectionKind, Buffer>()
  private lastTail: { ts: number; bytes: Buffer } | null = null

  constructor(options: InspectionBusOptions = {}) {
    this.ring = new LineRing({
      maxLines: options.historyLimit ?? 100_000,
      maxBytes: options.historyBytes ?? 48 * 1024 * 1024,
      onEncoded: (bytes, lines) => {
        for (const listener of this.bytesListeners) listener(bytes, lines)
      }
    })
    this.now = options.now ?? Date.now
  }

  /** The bus takes the draft over: it is stamped in place rather than copied, as every producer passes a fresh literal. */
  emit(draft: InspectionDraft): InspectionEvent {
    const event = stamped(draft, this.seq++, this.now())
    const line = JSON.stringify(event)
    this.keep(line)
    for (const { kinds, listener } of this.subscriptions) if (!kinds || kinds.has(event.kind)) listener(event)
    for (const listener of this.lineListeners) listener(line)
    return event
  }

  /**
   * Emits events whose members their producer wrote as UTF-8 (the bridge's agent_event_emitted, a judge's
   * deliveries): `members` is the JSON text of every member but `kind`, `seq` and `ts` (`"a":1,"b":"x"`, no
   * braces), in the schema's order. Event `i` of [from, to) is `members[ends[i - 1] .. ends[i])` (from 0 for the
   * first); by default `members` is one event. Lines go into the history as bytes, and become strings, or objects,
   * only for listeners that ask for lines or for this kind. `members` is read before this returns.
   */
  emitEncoded(
    kind: InspectionKind,
    members: Uint8Array,
    ends: ArrayLike<number> = [members.length],
    from = 0,
    to = ends.length
  ): void {
    if (to <= from) return
    const head = this.headOf(kind)
    const ts = this.now()
    const tail = this.tailOf(ts)
    const heard = this.heard(kind)
    const text = Buffer.from(members.buffer, members.byteOffset, members.byteLength)
    for (let index = from; index < to; index++) {
      const piece = text.subarray(index === 0 ? 0 : (ends[index - 1] as number), ends[index] as number)
      const seq = this.seq++
      this.ring.pushParts(head, piece, seq, tail)
      if (heard) this.hearEncoded(kind, piece, seq, ts)
    }
    this.scheduleBytes()
  }

  /**
   * An event already judged on another bus (a target run's, which has its own auditor): stamped into this stream,
   * so it reaches the history, the recording and the pushes, but no listener here hears it, as one would judge it
   * a second time (this bus's auditor would call its runs missing).
   */
  relay(draft: InspectionDraft): void {
    this.keep(JSON.stringify(stamped(draft, this.seq++, this.now())))
  }

  /** Every event, as an object. Under a flood prefer subscribeKinds or subscribeLines. */
  subscribe(listener: InspectionListener): () => void {
    const subscription: ObjectSubscription = { kinds: null, listener }
    this.subscriptions.add(subscription)
    return () => this.subscriptions.delete(subscription)
  }

  /** Only the events of the given kinds, as objects. */
  subscribeKinds<K extends InspectionKind>(
    kinds: readonly K[],
    listener: (event: InspectionEventOf<K>) => void
  ): () => void {
    const subscription: ObjectSubscription = {
      kinds: new Set<InspectionKind>(kinds),
      listener: listener as InspectionListener
    }
    this.subscriptions.add(subscription)
    return () => this.subscriptions.delete(subscription)
  }

  subscribeLines(listener: InspectionLineListener): () => void {
    this.lineListeners.add(listener)
    return () => this.lineListeners.delete(listener)
  }

  /**
   * The stream from now on as UTF-8 bytes (see InspectionBytesListener): what a recorder writes, encoded once
   * for it and for the history alike.
   */
  subscribeBytes(listener: InspectionBytesListener): () => void {
    this.ring.flush()
    this.bytesListeners.add(listener)
    return () => this.bytesListeners.delete(listener)
  }

  /** Hands every line emitted so far to the bytes listeners now, rather than at the end of this turn. */
  flushBytes(): void {
    this.ring.flush()
  }

  /** The retained events as NDJSON lines, oldest first. */
  snapshotLines(): string[] {
    return this.ring.lines()
  }

  /** The retained events, oldest first (parsed from the lines; cached until the next event). */
  snapshot(): InspectionEvent[] {
    if (this.parsedCache?.seq !== this.seq) {
      this.parsedCache = {
        seq: this.seq,
        events: this.snapshotLines().map((line) => JSON.parse(line) as InspectionEvent)
      }
    }
    return [...this.parsedCache.events]
  }

  private keep(line: string): void {
    this.ring.push(line)
    this.scheduleBytes()
  }

  /** Bytes listeners hear every line by the end of the turn it was emitted in, whatever the ring's batching. */
  private scheduleBytes(): void {
    if (this.bytesListeners.size > 0 && !this.encodeScheduled) {
      this.encodeScheduled = true
      setImmediate(() => {
        this.encodeScheduled = false
        this.ring.flush()
      })
    }
  }

  /** Whether anyone listens to lines, or to `kind` as objects: then an event given as bytes is decoded for them. */
  private heard(kind: InspectionKind): boolean {
    if (this.lineListeners.size > 0) return true
    for (const { kinds } of this.subscriptions) if (!kinds || kinds.has(kind)) return true
    return false
  }

  /** Hands an event given as UTF-8 members to the listeners of lines and of its kind, as its line and its object. */
  private hearEncoded(kind: InspectionKind, members: Buffer, seq: number, ts: number): void {
    const line = `{"kind":"${kind}",${members.toString('utf8')},"seq":${integerText(seq)},"ts":${integerText(ts)}}`
    let event: InspectionEvent | null = null
    for (const { kinds, listener } of this.subscriptions) {
      if (kinds && !kinds.has(kind)) continue
      event ??= JSON.parse(line) as InspectionEvent
      listener(event)
    }
    for (const listener of this.lineListeners) listener(line)
  }

  /** `{"kind":"<kind>",` as UTF-8, made once per kind. */
  private headOf(kind: InspectionKind): Buffer {
    let head = this.heads.get(kind)
    if (!head) this.heads.set(kind, (head = Buffer.from(`{"kind":"${kind}",`)))
    return head
  }

  /** `,"ts":<ts>}` as UTF-8; the clock moves by milliseconds, so consecutive events share it. */
  private tailOf(ts: number): Buffer {
    if (this.lastTail?.ts !== ts) this.lastTail = { ts, bytes: Buffer.from(`,"ts":${ts}}`) }
    return this.lastTail.bytes
  }

  get emitted(): number {
    return this.seq
  }
}
