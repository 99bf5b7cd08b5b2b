import { createServer, type AddressInfo, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { prepareTarget } from '../../src/main/target/prepareTarget'
import { runTarget } from '../../src/main/target/runTarget'
import { startSampleBackend } from '../fixtures/sampleBackend/sampleBackend'
import { exampleTarget } from '../helpers/targetHarness'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const shortConnect = (json: Record<string, unknown>): void => {
  json.timeouts = { connectMs: 500, runMs: 1_000, settleMs: 50 }
}

async function firstError(url: string, change: (json: Record<string, unknown>) => void): Promise<string> {
  const file = exampleTarget(change)
  const users = prepareTarget('example', file, { users: 1, url })
  const report = await runTarget(file, users, { runs: 1, bus: new InspectionBus(), url })
  return report.users.failed[0]?.error ?? ''
}

describe('target mode: what a connect timeout says', () => {
  it('names an unanswered WebSocket handshake as such', async () => {
    const held: Socket[] = []
    const silent = createServer((socket) => held.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => {
      for (const socket of held) socket.destroy()
      return new Promise<void>((resolve) => silent.close(() => resolve()))
    })
    const port = (silent.address() as AddressInfo).port
    // ws's own handshake timeout may answer first, with its own words: either names the handshake.
    expect(await firstError(`ws://127.0.0.1:${port}/ws?room=lobby`, shortConnect)).toMatch(
      /^(no answer to the WebSocket handshake within 500 ms \(timeouts\.connectMs\) at ws:\/\/127\.0\.0\.1:\d+\/ws\?room=lobby&token=\*\*\*; is the url right, and does the server answer WebSocket upgrades there\?|cannot reach .*: Opening handshake has timed out)$/
    )
  })

  it('names the missing ready frame once the socket is open', async () => {
    const backend = await startSampleBackend({ bug: null })
    cleanups.push(() => backend.close())
    const error = await firstError(`${backend.url}?room=lobby`, (json) => {
      shortConnect(json)
      json.ready = { type: 'never_sent' }
    })
    expect(error).toBe(
      `no ready frame (ready.type) within 500 ms (timeouts.connectMs) at ${backend.url}?room=lobby&token=***, though the socket opened`
    )
  })
})
