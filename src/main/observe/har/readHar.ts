import { readFile, stat } from 'node:fs/promises'
import { parseJson } from '../../../shared/json'
import type { FrameDirection, ObservedRequest } from '../relayObserver'
import { harSchema, isWebSocketEntry, type HarEntry, type HarWebSocketMessage } from './harSchema'

/** HAR files are JSON documents read whole: larger ones are refused rather than exhausting memory. */
export const MAX_HAR_BYTES = 512 * 1024 * 1024
/** Message times above this are milliseconds (Playwright); below, seconds (Chrome DevTools). */
const MILLISECONDS_FROM = 1e11

/** A HAR that cannot be read or is not HAR: the message names the file and the field. */
export class HarError extends Error {}

export interface HarMessage {
  direction: FrameDirection
  data: Buffer
  isBinary: boolean
  at: number
}

/** One WebSocket of a HAR: its upgrade request, when it opened, and its data messages in order. */
export interface HarConnection {
  file: string
  entryIndex: number
  request: ObservedRequest
  openedAt: number
  messages: HarMessage[]
}

/** Reads a HAR file and returns its WebSocket entries; throws HarError when it cannot be read or is not HAR. */
export async function readHarConnections(path: string): Promise<HarConnection[]> {
  const size = await stat(path).then(
    (info) => (info.isFile() ? info.size : -1),
    (error: NodeJS.ErrnoException) => {
      throw new HarError(`${path}: cannot read (${error.code ?? error.message})`)
    }
  )
  if (size < 0) throw new HarError(`${path}: not a file`)
  if (size > MAX_HAR_BYTES)
    throw new HarError(`${path}: ${size} bytes, over the ${MAX_HAR_BYTES / 2 ** 20} MiB a HAR may have here`)
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '')
  return harConnections(path, text)
}

/** The WebSocket entries of a HAR held as text (`name` names it in errors). */
export function harConnections(name: string, text: string): HarConnection[] {
  const json = parseJson(text.trim())
  if (!json.ok) throw new HarError(`${name}: not a HAR: not JSON (${json.error})`)
  const har = harSchema.safeParse(json.value)
  if (!har.success) {
    const issue = har.error.issues[0]
    const field = issue?.path
      .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
      .join('')
    throw new HarError(
      `${name}: not a HAR: ${field ? field.replace(/^\./, '') : '(root)'}: ${issue?.message ?? 'invalid'} (HAR 1.2 needs log.version, log.creator and log.entries)`
    )
  }
  const connections: HarConnection[] = []
  har.data.log.entries.forEach((entry, entryIndex) => {
    if (isWebSocketEntry(entry)) connections.push(toConnection(name, entry, entryIndex))
  })
  return connections
}

function toConnection(file: string, entry: HarEntry, entryIndex: number): HarConnection {
  const started = Date.parse(entry.startedDateTime)
  const openedAt = Number.isNaN(started) ? 0 : started
  const messages: HarMessage[] = []
  for (const message of entry._webSocketMessages ?? []) {
    if (message.opcode !== 1 && message.opcode !== 2) continue
    messages.push({
      direction: message.type === 'send' ? 'client_to_server' : 'server_to_client',
      data: Buffer.from(message.data, message.opcode === 1 ? 'utf8' : 'base64'),
      isBinary: message.opcode === 2,
      at: messageTime(message, openedAt)
    })
  }
  return { file, entryIndex, request: observedRequest(entry), openedAt, messages }
}

function messageTime(message: HarWebSocketMessage, openedAt: number): number {
  if (message.time < 0) return openedAt
  return message.time >= MILLISECONDS_FROM ? message.time : message.time * 1000
}

/** The upgrade request as the relay would report it: path and query, header names in lower case. */
function observedRequest(entry: HarEntry): ObservedRequest {
  const headers: Record<string, string> = {}
  for (const { name, value } of entry.request.headers) {
    const key = name.toLowerCase()
    if (key.startsWith(':')) continue
    const before = headers[key]
    headers[key] = before === undefined ? value : `${before}${key === 'cookie' ? '; ' : ', '}${value}`
  }
  // Some exports keep cookies only in request.cookies.
  if (headers.cookie === undefined && entry.request.cookies && entry.request.cookies.length > 0)
    headers.cookie = entry.request.cookies.map(({ name, value }) => `${name}=${value}`).join('; ')
  let url = entry.request.url
  try {
    const parsed = new URL(entry.request.url)
    url = `${parsed.pathname}${parsed.search}`
  } catch {
    // A relative URL is already a path.
  }
  return { url, headers }
}
