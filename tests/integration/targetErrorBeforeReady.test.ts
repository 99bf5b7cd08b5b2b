import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server as SocketIoServer } from 'socket.io'
import { afterEach, describe, expect, it } from 'vitest'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { parseTargetFile } from '../../src/main/target/loadTargetFile'
import { prepareTarget } from '../../src/main/target/prepareTarget'
import { runTarget } from '../../src/main/target/runTarget'

/** Closes what a test started. */
let stop: (() => Promise<void>) | null = null
afterEach(async () => {
  await stop?.()
  stop = null
})

async function listen(http: HttpServer): Promise<number> {
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  return (http.address() as AddressInfo).port
}

/** A Socket.IO backend that emits its error event instead of `welcome` to every socket, or (`silent`) nothing. */
async function startSocketIoErrorBackend(silent = false): Promise<string> {
  const http = createServer()
  const io = new SocketIoServer(http)
  io.on('connection', (socket) => {
    if (!silent) socket.emit('error_event', { reason: 'workspace closed' })
  })
  const port = await listen(http)
  stop = async () => {
    await io.close()
  }
  return `http://127.0.0.1:${port}`
}

async function connectOnly(json: Record<string, unknown>) {
  const file = parseTargetFile('error-before-ready', JSON.stringify(json))
  const users = prepareTarget('error-before-ready', file, { users: 1 })
  const report = await runTarget(file, users, { runs: 1, bus: new InspectionBus() })
  return { report }
}

describe('a Socket.IO user that never gets its ready event', () => {
  it('a Socket.IO server that never sends the ready event is told as the timeout, not as our own disconnect', async () => {
    const url = await startSocketIoErrorBackend(true)
    const { report } = await connectOnly({
      protocol: 'socket.io',
      url,
      ready: { type: 'welcome' },
      run: [{ emit: 'start', args: [{ text: '{{canary}}' }] }],
      events: { type: '/event', errorType: 'error_event' },
      timeouts: { connectMs: 300 }
    })
    expect(report.users.failed.map((failure) => failure.error)).toEqual([
      `no ready event (ready.type) within 300 ms (timeouts.connectMs) at ${url}/`
    ])
  })
})
