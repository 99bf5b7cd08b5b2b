import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { startInspector } from '../../playwright/server.mjs'
import { createStaticRoot } from './webSupport/staticRoot'

const staticRoot = createStaticRoot()
const groups = new Set<number>()
afterAll(() => {
  // Whatever a failed test left running goes with its group.
  for (const group of groups) signal(-group, 'SIGKILL')
  staticRoot.remove()
})

/** Sends a signal; false when no such process (or group) exists. Signal 0 only asks whether it exists. */
function signal(pid: number, name: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, name)
    return true
  } catch {
    return false
  }
}

/** Resolves once the process is gone: it is not our child, so its exit can only be observed by asking. */
async function gone(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs
  while (signal(pid, 0)) {
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return true
}

describe("the package's startInspector", { timeout: 60_000 }, () => {
  it('runs serve as the leader of its own process group and stop() ends the whole group', async () => {
    const server = await startInspector({ staticDir: staticRoot.root })
    groups.add(server.pid)
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`)
    expect(signal(-server.pid, 0)).toBe(true)
    const added = (await server.send({ cmd: 'add_users', count: 2 })) as {
      connected: unknown[]
      failed: unknown[]
    }
    expect([added.connected.length, added.failed]).toEqual([2, []])
    await server.stop()
    expect(signal(-server.pid, 0)).toBe(false)
    expect(signal(server.pid, 0)).toBe(false)
  })

  it('names a bad option and never starts anything', async () => {
    await expect(startInspector({ port: -1 })).rejects.toThrow(/startInspector: port: /)
    await expect(startInspector({ stepDelay: 20 } as never)).rejects.toThrow(/Unrecognized key.*stepDelay/)
  })

  it('says why when serve cannot start, with its stderr', async () => {
    await expect(startInspector({ staticDir: staticRoot.root, token: 'short' })).rejects.toThrow(
      /serve did not start: it exited \(2\).*\n.*--token: must be 32 to 128 characters/s
    )
  })
})

describe('npm run cli -- serve', { timeout: 60_000 }, () => {
  it('stops when npm is stopped: no shell or tsx between them is left holding the server', async () => {
    const npm = spawn(
      'npm',
      ['run', '--silent', 'cli', '--', 'serve', '--json', '--static', staticRoot.root],
      {
        detached: true,
        stdio: ['ignore', 'pipe', 'ignore']
      }
    )
    groups.add(npm.pid!)
    const lines = createInterface({ input: npm.stdout! })
    const [line] = (await once(lines, 'line')) as [string]
    const { pid } = JSON.parse(line) as { pid: number }
    expect(signal(pid, 0)).toBe(true)
    const exited = once(npm, 'exit')
    // Only npm is signalled, as a terminal's or a CI runner's stop would signal the process it started.
    npm.kill('SIGTERM')
    await exited
    expect(await gone(pid, 10_000)).toBe(true)
  })
})
