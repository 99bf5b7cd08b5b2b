import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { Runtime } from '../../src/main/runtime/runtime'

let runtime: Runtime | undefined
afterEach(async () => {
  await runtime?.close()
  runtime = undefined
})

/** A raw client: every frame's type (and agent event type) in arrival order, and how many reads carried them. */
async function client(url: string) {
  const socket = new WebSocket(url)
  const frames: string[] = []
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as { type: string; event?: { type: string } }
    frames.push(frame.type === 'agent_event' ? `agent_event:${frame.event?.type}` : frame.type)
  })
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
  return { socket, frames }
}

describe('a run started by a client frame', () => {
  it('is accepted before its events when the agent has no pause between steps', async () => {
    runtime = await Runtime.start({ seed: 5, stepDelayMs: 0 })
    const { socket, frames } = await client(runtime.userUrl('usr_order'))
    await expect.poll(() => frames).toEqual(['welcome'])
    socket.send(JSON.stringify({ type: 'start_run', message: 'hi' }))
    socket.send(JSON.stringify({ type: 'start_run', message: 'again' }))
    const oneRun = [
      'run_accepted',
      'agent_event:agent_started',
      'agent_event:agent_thinking',
      'agent_event:tool_executing',
      'agent_event:tool_completed',
      'agent_event:agent_completed'
    ]
    await expect.poll(() => frames).toEqual(['welcome', ...oneRun, ...oneRun])
    socket.close()
  })

  it('is accepted before its events when the agent pauses between steps', async () => {
    runtime = await Runtime.start({ seed: 5, stepDelayMs: 5 })
    const { socket, frames } = await client(runtime.userUrl('usr_paced'))
    await expect.poll(() => frames).toEqual(['welcome'])
    socket.send(JSON.stringify({ type: 'start_run', message: 'hi' }))
    await expect.poll(() => frames.length).toBe(7)
    expect(frames.slice(0, 3)).toEqual(['welcome', 'run_accepted', 'agent_event:agent_started'])
    socket.close()
  })
})
