import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { afterAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { EXIT_SHUTDOWN_FORCED } from '../../src/main/cli/serveCommand'
import { createStaticRoot } from './webSupport/staticRoot'

const staticRoot = createStaticRoot()
afterAll(() => staticRoot.remove())

interface Served {
  child: ChildProcess
  url: URL
  output: () => string
}

/** Starts `serve` through the CLI's launcher, as a user would, and resolves with the URL it prints first. */
async function serve(): Promise<Served> {
  const child = spawn('./bin/session-inspector.mjs', ['serve', '--static', staticRoot.root], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const url = await new Promise<URL>((resolve, reject) => {
    let stdout = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      stdout += chunk.toString()
      const line = /^(http:\/\/\S+)$/m.exec(stdout)?.[1]
      if (line) resolve(new URL(line))
    })
    child.once('exit', (code) =>
      reject(new Error(`serve exited with ${code} before printing its URL: ${output}`))
    )
  })
  return { child, url, output: () => output }
}

async function openControl(url: URL): Promise<WebSocket> {
  const token = url.searchParams.get('token') ?? ''
  const socket = new WebSocket(`ws://${url.host}/control?token=${encodeURIComponent(token)}`, {
    origin: `http://${url.host}`,
    perMessageDeflate: false
  })
  socket.on('error', () => undefined)
  await once(socket, 'open')
  return socket
}

/** Resolves at the first reply to any command: by then the server has read every command sent before. */
function firstReply(socket: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      if (/^\{"id":\d/.test(data.toString('utf8', 0, 16))) {
        socket.off('message', onMessage)
        resolve()
      }
    }
    socket.on('message', onMessage)
  })
}

describe('serve shuts down on SIGTERM whatever is in flight', { timeout: 120_000 }, () => {
  // Each try signals at a different point: as the commands leave, and once the server is working through them.
  for (const when of ['at once', 'after the first reply', 'at once', 'after the first reply']) {
    it(`exits 0 with set_faults, add_users and start_runs in flight (SIGTERM ${when})`, async () => {
      const served = await serve()
      const socket = await openControl(served.url)
      const replied = firstReply(socket)
      let id = 1
      const send = (command: object): void => socket.send(JSON.stringify({ id: id++, command }))
      send({ cmd: 'add_users', count: 10 })
      send({ cmd: 'start_runs', runs: 20 })
      send({ cmd: 'set_faults', faults: ['shared_singleton_manager'] })
      send({ cmd: 'add_users', count: 5 })
      send({ cmd: 'start_runs', runs: 5 })
      send({ cmd: 'set_faults', faults: [] })
      send({ cmd: 'restart_startup' })
      if (when !== 'at once') await replied
      const exited = once(served.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
      served.child.kill('SIGTERM')
      const [code, signal] = await exited
      socket.terminate()
      expect({ code, signal, output: served.output() }).toMatchObject({ code: 0, signal: null })
      expect(served.output()).not.toContain('still closing')
      expect(code).not.toBe(EXIT_SHUTDOWN_FORCED)
    })
  }
})
