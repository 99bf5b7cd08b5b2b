import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import WebSocket from 'ws'
import type { Command } from '../../../src/shared/inspectorApi'

const ROOT = join(import.meta.dirname, '../../..')
const START_TIMEOUT_MS = 30_000

export interface InspectorServer {
  /** The URL `serve` printed first, with its per-launch token. */
  url: string
  stop(): Promise<void>
}

/** Starts `session-inspector serve` on a free port, as a user would, and reads the URL from its first line. */
export async function startInspectorServer(args: string[] = []): Promise<InspectorServer> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/main/cli.ts', 'serve', '--port', '0', ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }
  )
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000)
  })
  try {
    const url = await firstLine(child)
    if (!/^http:\/\/127\.0\.0\.1:\d+\/\?token=/.test(url)) {
      throw new Error(`serve printed '${url}' first; expected http://127.0.0.1:<port>/?token=…`)
    }
    return { url, stop: () => stop(child) }
  } catch (error) {
    await stop(child)
    throw new Error(`serve did not start: ${(error as Error).message}\n${stderr}`, { cause: error })
  }
}

async function firstLine(child: ChildProcess): Promise<string> {
  if (child.stdout === null) throw new Error('no stdout')
  const lines = createInterface({ input: child.stdout })
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      once(lines, 'line').then(([line]) => String(line).trim()),
      once(child, 'exit').then(([code]) => Promise.reject(new Error(`exited with code ${String(code)}`))),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no URL within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS)
      })
    ])
  } finally {
    clearTimeout(timer)
    // Keep draining stdout so the child never blocks on a full pipe.
    lines.on('line', () => {})
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}

/** Sends one command over the control channel, as the UI does, and resolves with its reply's result. */
export async function sendCommand(url: string, command: Command): Promise<unknown> {
  const page = new URL(url)
  const socket = new WebSocket(`ws://${page.host}/control?token=${page.searchParams.get('token') ?? ''}`)
  try {
    // Listen before sending: pushes (events, reset) arrive on the same socket, often just before the reply.
    const reply = new Promise<unknown>((resolve, reject) => {
      socket.on('error', reject)
      socket.on('close', (code) => reject(new Error(`control channel closed (${code}) before the reply`)))
      socket.on('message', (data: WebSocket.RawData) => {
        const frame = JSON.parse(String(data)) as { id?: number; reply?: ControlReply }
        if (frame.id !== 1 || frame.reply === undefined) return
        if (frame.reply.ok) resolve(frame.reply.result)
        else reject(new Error(`${command.cmd} failed: ${JSON.stringify(frame.reply.error)}`))
      })
    })
    await once(socket, 'open')
    socket.send(JSON.stringify({ id: 1, command }))
    return await reply
  } finally {
    socket.close()
  }
}

type ControlReply = { ok: true; result: unknown } | { ok: false; error: unknown }
