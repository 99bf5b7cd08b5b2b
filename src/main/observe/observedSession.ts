import { jsonString } from '../../shared/json'
import type { InspectionBus } from '../runtime/inspection/inspectionBus'
import { parseFramePath, readIdAt } from '../target/framePath'
import { attributeRequest, attributeWithFirstMessage, type SettledAttribution } from './attribution'
import { CanaryTaint } from './canaryTaint'
import { distinctiveStrings, MAX_JUDGED_BYTES, parseFrameJson } from './frameStrings'
import { ObserveTally } from './observeTally'
import type { ClosedBy, FrameDirection, ObservedRequest, RelayObserver } from './relayObserver'
import type { ObserveSummary } from './observeSummary'
import type { UserRule } from './userRules'

/** Bytes of a message's data kept in its observed_frame event (the rest is cut, `truncated`). */
export const RECORDED_BYTES = 64 * 1024
/**
 * Server -> client messages held for a connection whose user its first client message will name, judged once it
 * does; past either bound the connection is attributed without that message.
 */
export const HELD_MESSAGES = 64
export const HELD_BYTES = 1024 * 1024
const EXCERPT_CHARS = 160

export interface ObservedSessionOptions {
  bus: InspectionBus
  rules: readonly UserRule[]
  /** `--owner-id` JSON pointers (or dotted paths), as in target files' `events.userId`. */
  ownerIds?: readonly string[]
  /** What is observed: the upstream URL, or the HAR file. */
  source: string
  /** Learn canaries and look for them (default true). */
  canaries?: boolean
  /**
   * Emit observed_frame for every message (default true). The CLI turns it off without --record: nothing would
   * read them, and writing each one is a large part of judging a frame.
   */
  frames?: boolean
}

interface Held {
  data: Buffer
  isBinary: boolean
  at: number
}

interface Connection {
  id: string
  request: ObservedRequest
  openedAt: number
  /** undefined: waiting for the first client message; null: no rule named a user. */
  userId: string | null | undefined
  held: Held[]
  heldBytes: number
}

function excerpt(text: string, around?: string): string {
  const at = around === undefined ? -1 : text.indexOf(around)
  const start = at < 0 ? 0 : Math.max(0, at - 40)
  const cut = text.slice(start, start + EXCERPT_CHARS)
  return `${start > 0 ? '…' : ''}${cut}${start + EXCERPT_CHARS < text.length ? '…' : ''}`
}

function flatHeaders(headers: ObservedRequest['headers']): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value
  return flat
}

/**
 * Observe mode's judge: attributes each connection a relay (or a HAR) reports to a user by the rules, and judges
 * every server -> client message by the owner ids it carries and by other users' canaries. Everything it sees
 * and finds goes to the bus (so `--record` and replays work); summary() is what the CLI prints.
 * Memory: open connections only, plus the bounded canary taint and tally.
 */
export class ObservedSession implements RelayObserver {
  private nextId = 1
  private readonly connections = new Map<string, Connection>()
  private readonly ownerIds: ReadonlyArray<{ text: string; segments: string[] }>
  private readonly taint = new CanaryTaint()
  private readonly tally: ObserveTally
  private readonly learnCanaries: boolean
  private readonly emitFrames: boolean

  constructor(private readonly options: ObservedSessionOptions) {
    this.ownerIds = (options.ownerIds ?? []).map((text) => ({ text, segments: parseFramePath(text) }))
    this.learnCanaries = options.canaries ?? true
    this.emitFrames = options.frames ?? true
    this.tally = new ObserveTally(
      options.source,
      options.rules.map((rule) => rule.text)
    )
    options.bus.emit({
      kind: 'observe_started',
      source: options.source,
      rules: options.rules.map((rule) => rule.text),
      owner_ids: this.ownerIds.map((pointer) => pointer.text)
    })
  }

  connectionOpened(request: ObservedRequest, at: number): string {
    const connection: Connection = {
      id: `c${this.nextId++}`,
      request,
      openedAt: at,
      userId: undefined,
      held: [],
      heldBytes: 0
    }
    this.connections.set(connection.id, connection)
    this.tally.opened()
    const attribution = attributeRequest(this.options.rules, request)
    if (attribution.kind !== 'wait_for_first_message') this.settle(connection, attribution)
    return connection.id
  }

  message(
    connectionId: string,
    direction: FrameDirection,
    data: Buffer,
    isBinary: boolean,
    at: number
  ): void {
    const connection = this.connections.get(connectionId)
    if (connection === undefined) return
    if (connection.userId === undefined) {
      if (direction === 'server_to_client') {
        // A copy: the relay may reuse the bytes it lent once this call returns.
        connection.held.push({ data: Buffer.from(data), isBinary, at })
        connection.heldBytes += data.length
        if (connection.held.length <= HELD_MESSAGES && connection.heldBytes <= HELD_BYTES) return
        this.settleWithFirstMessage(connection, null)
        return
      }
      this.settleWithFirstMessage(connection, isBinary ? '' : data.toString('utf8'))
    }
    this.judge(connection, direction, data, isBinary, at)
  }

  connectionClosed(
    connectionId: string,
    code: number,
    reason: string,
    closedBy: ClosedBy,
    _at: number
  ): void {
    const connection = this.connections.get(connectionId)
    if (connection === undefined) return
    if (connection.userId === undefined) this.settleWithFirstMessage(connection, null)
    this.connections.delete(connectionId)
    this.tally.closed()
    this.options.bus.emit({
      kind: 'observed_closed',
      connection_id: connectionId,
      user_id: connection.userId ?? null,
      code,
      reason,
      closed_by: closedBy
    })
    if (connection.userId)
      this.options.bus.emit({
        kind: 'user_disconnected',
        connection_id: connectionId,
        user_id: connection.userId,
        code,
        reason
      })
  }

  /** What was seen so far; the exit code is observeExitCode(summary). */
  summary(): ObserveSummary {
    return this.tally.summary(this.taint.counts, this.taint.size)
  }

  /** Attributes a connection waiting on its first client message (null: it sent none), then judges what was held. */
  private settleWithFirstMessage(connection: Connection, firstMessage: string | null): void {
    this.settle(connection, attributeWithFirstMessage(this.options.rules, connection.request, firstMessage))
    const held = connection.held
    connection.held = []
    connection.heldBytes = 0
    for (const message of held)
      this.judge(connection, 'server_to_client', message.data, message.isBinary, message.at)
  }

  private settle(connection: Connection, attribution: SettledAttribution): void {
    const userId = attribution.kind === 'user' ? attribution.userId : null
    connection.userId = userId
    this.tally.attributed(userId, attribution.kind === 'user' ? attribution.rule : null, attribution)
    const bus = this.options.bus
    bus.emit({
      kind: 'observed_connection',
      connection_id: connection.id,
      user_id: userId,
      rule: attribution.kind === 'user' ? attribution.rule : null,
      problems: attribution.kind === 'unattributed' ? attribution.problems : [],
      url: connection.request.url,
      headers: flatHeaders(connection.request.headers),
      at: connection.openedAt
    })
    if (userId !== null)
      bus.emit({
        kind: 'user_connected',
        connection_id: connection.id,
        context: {
          user_id: userId,
          thread_id: connection.id,
          run_id: connection.id,
          request_id: connection.id
        },
        manager_id: 'observe'
      })
  }

  private judge(
    connection: Connection,
    direction: FrameDirection,
    data: Buffer,
    isBinary: boolean,
    at: number
  ): void {
    const userId = connection.userId ?? null
    const id = connection.id
    this.tally.frame(userId, direction, isBinary)
    if (data.length > MAX_JUDGED_BYTES) {
      this.emitFrame(id, userId, direction, data, isBinary, at, null)
      this.tally.count('tooLarge')
      return
    }
    const text = data.toString('utf8')
    const parsed = isBinary ? ({ ok: false } as const) : parseFrameJson(text)
    const strings = this.learnCanaries
      ? distinctiveStrings(text, parsed.ok ? parsed.value : undefined, (key) => this.taint.noteFieldName(key))
      : new Set<string>()
    if (direction === 'client_to_server') {
      this.emitFrame(id, userId, direction, data, isBinary, at, null)
      if (userId !== null) this.taint.learn(userId, strings)
      return
    }
    if (!isBinary && !parsed.ok) this.tally.count('unparsed')
    if (userId === null) {
      this.emitFrame(id, userId, direction, data, isBinary, at, null)
      this.tally.count('toUnattributed')
      this.taint.foreignOwners('', strings)
      return
    }
    const owner = parsed.ok ? this.readOwner(parsed.value) : null
    // The frame first, then its leaks: the app turns the frame's row red when its leaks follow it.
    const known = owner !== null && (owner.id === userId || this.tally.knowsUser(owner.id))
    this.emitFrame(id, userId, direction, data, isBinary, at, known ? owner.id : null)
    let leaked = owner !== null && this.judgeOwnerId(connection.id, userId, owner, text)
    for (const [canaryOwner, canary] of this.taint.foreignOwners(userId, strings)) {
      leaked = true
      this.tally.canaryLeak(canaryOwner, userId, canary)
      this.options.bus.emit({
        kind: 'observed_leak',
        connection_id: connection.id,
        by: 'canary',
        owner_user_id: canaryOwner,
        receiver_user_id: userId,
        pointer: null,
        canary,
        excerpt: excerpt(text, canary)
      })
    }
    if (leaked) this.tally.count('leakingFrames')
  }

  /**
   * observed_frame, its members written here as JSON text rather than built as an object for the bus to
   * serialize: it is emitted for every message relayed, and this is about half the cost.
   */
  private emitFrame(
    connectionId: string,
    userId: string | null,
    direction: FrameDirection,
    data: Buffer,
    isBinary: boolean,
    at: number,
    owner: string | null
  ): void {
    if (!this.emitFrames) return
    const recorded = data.length > RECORDED_BYTES ? data.subarray(0, RECORDED_BYTES) : data
    const text = isBinary ? `"${recorded.toString('base64')}"` : JSON.stringify(recorded.toString('utf8'))
    const members =
      `"connection_id":${jsonString(connectionId)},"user_id":${userId === null ? 'null' : jsonString(userId)},` +
      `"direction":"${direction}","binary":${isBinary},"bytes":${data.length},"data":${text},` +
      `"truncated":${recorded !== data},"at":${Number.isFinite(at) ? at : 0},` +
      `"owner_user_id":${owner === null ? 'null' : jsonString(owner)}`
    this.options.bus.emitEncoded('observed_frame', Buffer.from(members))
  }

  /** The id the first --owner-id pointer that reads one finds in the frame, with that pointer. */
  private readOwner(frame: unknown): { id: string; pointer: string } | null {
    for (const pointer of this.ownerIds) {
      const read = readIdAt(frame, pointer.segments, pointer.text)
      if (read.ok) return { id: String(read.value), pointer: pointer.text }
    }
    return null
  }

  /** The frame's owner id decides; an id naming no observed user is counted, not judged. */
  private judgeOwnerId(
    connectionId: string,
    userId: string,
    owner: { id: string; pointer: string },
    text: string
  ): boolean {
    if (owner.id === userId) return false
    if (!this.tally.knowsUser(owner.id)) {
      this.tally.count('ownerIdUnknown')
      return false
    }
    this.tally.ownerIdLeak(owner.id, userId, owner.pointer)
    this.options.bus.emit({
      kind: 'observed_leak',
      connection_id: connectionId,
      by: 'owner_id',
      owner_user_id: owner.id,
      receiver_user_id: userId,
      pointer: owner.pointer,
      canary: null,
      excerpt: excerpt(text, owner.id)
    })
    return true
  }
}
