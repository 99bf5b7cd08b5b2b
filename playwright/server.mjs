// Starting and stopping `session-inspector serve` for a test run. Plain ESM with types in server.d.mts: Playwright
// loads it from node_modules as it is, with no TypeScript step (docs/testing.md, "Why plain JavaScript").
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'
import { z } from 'zod'

const LAUNCHER = fileURLToPath(new URL('../bin/session-inspector.mjs', import.meta.url))
const RENDERER = fileURLToPath(new URL('../out/renderer', import.meta.url))
const DEFAULT_START_TIMEOUT_MS = 60_000
/** serve closes within 3 s of SIGTERM (README, The CLI); past this the group is killed outright. */
const STOP_GRACE_MS = 5_000

const firstLineSchema = z.strictObject({
  url: z.string().startsWith('http://127.0.0.1:'),
  port: z.number().int().positive(),
  token: z.string().min(1),
  pid: z.number().int().positive()
})

const optionsSchema = z.strictObject({
  port: z.number().int().min(0).max(65_535).optional(),
  token: z.string().optional(),
  seed: z.number().int().min(0).optional(),
  stepDelayMs: z.number().int().min(0).optional(),
  staticDir: z.string().min(1).optional(),
  startTimeoutMs: z.number().int().positive().optional()
})

const replySchema = z.object({
  id: z.number(),
  reply: z.union([
    z.object({ ok: z.literal(true), result: z.unknown() }),
    z.object({ ok: z.literal(false), error: z.object({ message: z.string() }).passthrough() })
  ])
})

/**
 * Starts `serve --json` in a process group of its own, so stopping it ends everything it started, and resolves once
 * its first line (url, port, token, pid) has been read.
 */
export async function startInspector(options = {}) {
  const parsed = optionsSchema.safeParse(options)
  if (!parsed.success) {
    throw new Error(
      `startInspector: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`
    )
  }
  const settings = parsed.data
  const args = [
    'serve',
    '--json',
    '--port',
    String(settings.port ?? 0),
    '--static',
    settings.staticDir ?? RENDERER
  ]
  if (settings.token !== undefined) args.push('--token', settings.token)
  if (settings.seed !== undefined) args.push('--seed', String(settings.seed))
  if (settings.stepDelayMs !== undefined) args.push('--step-delay', String(settings.stepDelayMs))
  const child = spawn(process.execPath, ['--no-allocation-site-pretenuring', LAUNCHER, ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  // A worker that exits without its teardown (an uncaught error) must not leave the server behind.
  const killOnExit = () => killGroup(child, 'SIGKILL')
  process.once('exit', killOnExit)
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4_000)
  })
  const stop = async () => {
    process.off('exit', killOnExit)
    await stopGroup(child)
  }
  try {
    const line = await firstLine(child, settings.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS)
    let json
    try {
      json = JSON.parse(line)
    } catch {
      throw new Error(`its first line is not JSON: ${line}`)
    }
    const first = firstLineSchema.parse(json)
    return {
      ...first,
      stop,
      send: (command) => sendCommand(first, command),
      output: () => stderr
    }
  } catch (error) {
    await stop()
    throw new Error(`session-inspector serve did not start: ${error.message}\n${stderr}`, { cause: error })
  }
}

async function firstLine(child, timeoutMs) {
  const lines = createInterface({ input: child.stdout })
  let timer
  try {
    return await Promise.race([
      once(lines, 'line').then(([line]) => String(line).trim()),
      once(child, 'exit').then(([code, signal]) => {
        throw new Error(`it exited (${code ?? signal}) before printing its first line`)
      }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no first line within ${timeoutMs} ms`)), timeoutMs)
      })
    ])
  } finally {
    clearTimeout(timer)
    // Keep draining stdout so the server never blocks on a full pipe.
    lines.on('line', () => {})
  }
}

function killGroup(child, signal) {
  try {
    // Negative pid: the whole group the server leads (detached), whatever it started.
    process.kill(-child.pid, signal)
  } catch {
    // ESRCH: the group is gone already.
  }
}

function groupAlive(child) {
  try {
    process.kill(-child.pid, 0)
    return true
  } catch {
    return false
  }
}

/** SIGTERM to the group, SIGKILL after the grace; resolves once the server has exited. */
async function stopGroup(child) {
  if (child.pid === undefined) return
  const exited =
    child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit')
  killGroup(child, 'SIGTERM')
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_GRACE_MS)
  await exited
  clearTimeout(timer)
  // The leader is gone; anything else in its group goes too.
  if (groupAlive(child)) killGroup(child, 'SIGKILL')
}

/** One command over the control channel, as the page sends it; resolves with the result or throws the error. */
export async function sendCommand(server, command) {
  const socket = new WebSocket(
    `ws://127.0.0.1:${server.port}/control?token=${encodeURIComponent(server.token)}`,
    {
      perMessageDeflate: false
    }
  )
  try {
    // Listen before sending: pushes arrive on the same socket, often just before the reply.
    const reply = new Promise((resolve, reject) => {
      socket.on('error', reject)
      socket.on('close', (code) => reject(new Error(`control channel closed (${code}) before the reply`)))
      socket.on('message', (data) => {
        const frame = replySchema.safeParse(JSON.parse(String(data)))
        if (!frame.success || frame.data.id !== 1) return
        if (frame.data.reply.ok) resolve(frame.data.reply.result)
        else reject(new Error(`${command.cmd} failed: ${frame.data.reply.error.message}`))
      })
    })
    await once(socket, 'open')
    socket.send(JSON.stringify({ id: 1, command }))
    return await reply
  } finally {
    socket.close()
  }
}
