import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { RUNTIME_MAX_PAYLOAD_BYTES } from '../../src/shared/runtimeFrames'
import { startHarness } from '../helpers/runtimeHarness'

type Harness = Awaited<ReturnType<typeof startHarness>>
let harness: Harness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

/** Opens a raw socket and reports either the refused HTTP status or 'open'. */
function attempt(url: string, headers: Record<string, string> = {}): Promise<number | 'open'> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers })
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
    socket.on('open', () => {
      socket.terminate()
      resolve('open')
    })
    socket.on('error', (error) => reject(error))
  })
}

describe('the runtime ws server refuses before the handshake', () => {
  it.each([
    ['no token', (url: string) => url.replace(/token=[^&]+&/, ''), {}, 401],
    ['a wrong token', (url: string) => url.replace(/token=[^&]+/, 'token=' + 'f'.repeat(64)), {}, 401],
    ['a browser Origin', (url: string) => url, { Origin: 'http://evil.example' }, 403],
    ['a foreign Host header (DNS rebinding)', (url: string) => url, { Host: 'rebind.example:80' }, 403],
    ['a bad user id', (url: string) => url.replace(/user_id=[^&]+/, 'user_id=%20'), {}, 400],
    ['another path', (url: string) => url.replace('/ws?', '/admin?'), {}, 404]
  ])('%s', async (_label, mutate, headers, status) => {
    harness = await startHarness()
    const good = harness.runtime.userUrl('alice')
    expect(await attempt(good)).toBe('open')
    expect(await attempt(mutate(good), headers)).toBe(status)
    expect(harness.events('user_connected')).toHaveLength(1)
  })
})

describe('frames from a simulated user', () => {
  it('a malformed frame gets an error frame naming the problem, and the connection stays up', async () => {
    harness = await startHarness()
    const h = harness
    const { connected } = await h.connect(2)
    const user = h.pool.user(connected[0]!.user_id)!
    user.sendRaw('{not json')
    user.sendRaw(JSON.stringify({ type: 'start_run', extra: 1 }))
    user.sendRaw(JSON.stringify({ type: 'launch_missiles' }))
    user.sendRaw(JSON.stringify({ type: 'start_run', message: 'x'.repeat(3000) }))
    await h.until('four error frames', () => user.errors.length === 4)
    expect(user.errors.map((error) => error.code)).toEqual([
      'bad_frame',
      'bad_frame',
      'bad_frame',
      'bad_frame'
    ])
    expect(user.errors[0]?.message).toContain('frame is not JSON')
    expect(user.errors[1]?.message).toContain('extra')
    expect(user.errors[2]?.message).toContain("'type'")
    expect(user.errors[3]?.message).toContain("'message'")
    expect(h.events('frame_rejected')).toHaveLength(4)
    expect(user.isOpen).toBe(true)
    // still serves a normal run afterwards, to this user only
    user.startRun()
    await h.until('five deliveries', () => h.runtime.auditor.delivered === 5)
    expect(h.typesFor(user.userId)).toHaveLength(5)
    expect(h.typesFor(connected[1]!.user_id)).toHaveLength(0)
  })

  it('an oversized frame closes only that socket, with 1009; the others keep working', async () => {
    harness = await startHarness()
    const h = harness
    const { connected } = await h.connect(2)
    const [big, other] = connected.map((user) => h.pool.user(user.user_id)!)
    big!.sendRaw(JSON.stringify({ type: 'start_run', message: 'x'.repeat(RUNTIME_MAX_PAYLOAD_BYTES) }))
    await h.until('the oversized socket closed', () => big!.closeStatus !== null)
    expect(big!.closeStatus?.code).toBe(1009)
    other!.startRun()
    await h.until('the other user is served', () => h.typesFor(other!.userId).length === 5)
    expect(h.runtime.factory.stats.closed).toBe(1)
  })
})
