import { createWriteStream, openAsBlob } from 'node:fs'
import { once } from 'node:events'
import type { InspectionEvent } from '../../../shared/inspection'
import { readLines } from '../../../shared/lineReader'
import { checkRecordingLine } from '../../../shared/recordingFormat'
import { HarSpool } from './harSpool'

/** Header naming the user of a connection synthesized from a load or target recording (no real request is known). */
export const SYNTHETIC_USER_HEADER = 'x-session-inspector-user'
const SYNTHETIC_HOST = '127.0.0.1'
const READ_CHUNK_BYTES = 1024 * 1024

/** A recording that cannot be turned into a HAR: the message names the line. */
export class RecordingToHarError extends Error {}

interface ExportedConnection {
  key: string
  connectionId: string
  userId: string | null
  url: string
  headers: Record<string, string>
  openedAt: number
  lastAt: number
  messages: number
}

export interface HarExportCounts {
  entries: number
  messages: number
}

/**
 * Writes a recording as a HAR 1.2 file: one entry per connection (its upgrade request and a 101 response) with
 * its messages in `_webSocketMessages`, as Chrome DevTools writes them (time in seconds, opcode 1 text or
 * 2 binary in base64). Observe recordings give their real requests and messages; load and target recordings,
 * which hold deliveries rather than frames, give one synthesized connection per user connection, each delivery a
 * received message. The recording is streamed; messages wait in a bounded spool (HarSpool).
 */
export async function recordingToHar(
  recordingPath: string,
  harPath: string,
  creatorVersion = '0.0.0'
): Promise<HarExportCounts> {
  const spool = new HarSpool()
  try {
    const connections = await collect(recordingPath, spool)
    return await writeHar(harPath, connections, spool, creatorVersion)
  } finally {
    spool.dispose()
  }
}

async function collect(path: string, spool: HarSpool): Promise<ExportedConnection[]> {
  const connections = new Map<string, ExportedConnection>()
  /** The current synthesized connection of each user in a load or target recording. */
  const byUser = new Map<string, ExportedConnection>()
  const open = (key: string, fields: Omit<ExportedConnection, 'key' | 'lastAt' | 'messages'>) => {
    const connection = { key, ...fields, lastAt: fields.openedAt, messages: 0 }
    connections.set(key, connection)
    return connection
  }
  const synthesized = (connectionId: string, userId: string, at: number): ExportedConnection => {
    const connection = open(`synthetic:${connectionId}`, {
      connectionId,
      userId,
      url: `ws://${SYNTHETIC_HOST}/session-inspector/${encodeURIComponent(userId)}`,
      headers: { host: SYNTHETIC_HOST, [SYNTHETIC_USER_HEADER]: userId },
      openedAt: at
    })
    byUser.set(userId, connection)
    return connection
  }
  const add = (connection: ExportedConnection, message: object, at: number): void => {
    connection.messages += 1
    connection.lastAt = Math.max(connection.lastAt, at)
    spool.add(connection.key, JSON.stringify(message))
  }

  let first = true
  let lineNumber = 0
  for await (const batch of readLines(await openAsBlob(path), READ_CHUNK_BYTES)) {
    for (const [index, text] of batch.texts.entries()) {
      lineNumber += 1
      if (text.trim() === '') continue
      const line = checkRecordingLine(text, first)
      first = false
      if (line.kind === 'header') continue
      if (line.kind === 'bad') {
        if (line.notJson && batch.unterminatedLast && index === batch.texts.length - 1) break
        throw new RecordingToHarError(`${path}: line ${lineNumber}: ${line.problem}`)
      }
      take(line.event)
    }
  }
  return [...connections.values()]

  function take(event: InspectionEvent): void {
    switch (event.kind) {
      case 'observed_connection': {
        const host = event.headers.host ?? SYNTHETIC_HOST
        open(`observed:${event.connection_id}`, {
          connectionId: event.connection_id,
          userId: event.user_id,
          url: `ws://${host}${event.url.startsWith('/') ? '' : '/'}${event.url}`,
          headers: event.headers,
          openedAt: event.at
        })
        return
      }
      case 'observed_frame': {
        const connection = connections.get(`observed:${event.connection_id}`)
        if (connection === undefined) return
        const type = event.direction === 'client_to_server' ? 'send' : 'receive'
        add(
          connection,
          { type, time: event.at / 1000, opcode: event.binary ? 2 : 1, data: event.data },
          event.at
        )
        return
      }
      case 'user_connected':
        // Observe recordings say who a connection is in observed_connection; the runtime's users have no frames.
        if (event.manager_id !== 'observe') synthesized(event.connection_id, event.context.user_id, event.ts)
        return
      case 'agent_event_delivered': {
        const receiver =
          byUser.get(event.receiver_user_id) ??
          synthesized(`user:${event.receiver_user_id}`, event.receiver_user_id, event.ts)
        const data = JSON.stringify({
          type: event.type,
          event_id: event.event_id,
          run_id: event.run_id,
          user_id: event.owner_user_id
        })
        add(receiver, { type: 'receive', time: event.ts / 1000, opcode: 1, data }, event.ts)
        return
      }
      case 'user_disconnected': {
        const connection =
          connections.get(`observed:${event.connection_id}`) ??
          connections.get(`synthetic:${event.connection_id}`)
        if (connection) connection.lastAt = Math.max(connection.lastAt, event.ts)
        return
      }
      default:
        return
    }
  }
}

function requestOf(connection: ExportedConnection) {
  const headers = Object.entries(connection.headers).map(([name, value]) => ({ name, value }))
  const cookieHeader = connection.headers.cookie
  const cookies =
    cookieHeader === undefined
      ? []
      : cookieHeader
          .split(';')
          .map((pair) => pair.trim())
          .filter((pair) => pair.includes('='))
          .map((pair) => ({
            name: pair.slice(0, pair.indexOf('=')),
            value: pair.slice(pair.indexOf('=') + 1)
          }))
  let queryString: Array<{ name: string; value: string }> = []
  try {
    queryString = [...new URL(connection.url).searchParams].map(([name, value]) => ({ name, value }))
  } catch {
    // An unparseable URL keeps an empty query list.
  }
  return {
    method: 'GET',
    url: connection.url,
    httpVersion: 'HTTP/1.1',
    cookies,
    headers,
    queryString,
    headersSize: -1,
    bodySize: 0
  }
}

/** The entry without its messages: `_webSocketMessages` is written last, streamed from the spool. */
function entryHead(connection: ExportedConnection): string {
  const entry = {
    startedDateTime: new Date(connection.openedAt).toISOString(),
    time: Math.max(0, connection.lastAt - connection.openedAt),
    request: requestOf(connection),
    response: {
      status: 101,
      statusText: 'Switching Protocols',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [
        { name: 'Upgrade', value: 'websocket' },
        { name: 'Connection', value: 'Upgrade' }
      ],
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: -1,
      bodySize: 0
    },
    cache: {},
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: 0, receive: 0 },
    _resourceType: 'websocket',
    _sessionInspector: { connection_id: connection.connectionId, user_id: connection.userId }
  }
  const text = JSON.stringify(entry)
  return `${text.slice(0, -1)},"_webSocketMessages":[`
}

async function writeHar(
  path: string,
  connections: readonly ExportedConnection[],
  spool: HarSpool,
  creatorVersion: string
): Promise<HarExportCounts> {
  const out = createWriteStream(path)
  const failed = once(out, 'error').then(([error]) => {
    throw error as Error
  })
  failed.catch(() => {})
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await Promise.race([once(out, 'drain'), failed])
  }
  let messages = 0
  const log = { version: '1.2', creator: { name: 'Session Inspector', version: creatorVersion }, pages: [] }
  await write(`{"log":${JSON.stringify(log).slice(0, -1)},"entries":[\n`)
  for (const [index, connection] of connections.entries()) {
    await write(`${index > 0 ? ',\n' : ''}${entryHead(connection)}`)
    let count = 0
    for await (const message of spool.messages(connection.key)) {
      await write(`${count++ > 0 ? ',' : ''}\n${message}`)
      messages += 1
    }
    await write(']}')
  }
  await write('\n]}}\n')
  out.end()
  await Promise.race([once(out, 'finish'), failed])
  return { entries: connections.length, messages }
}
