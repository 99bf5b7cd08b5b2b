import { existsSync, readdirSync, readlinkSync } from 'node:fs'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSampleBackend } from '../fixtures/sampleBackend/sampleBackend'
import { connectMcpServer, type McpServerProcess } from '../helpers/mcpServerProcess'
import { EXAMPLE_PATH } from '../helpers/targetHarness'

/** Sockets the process holds open (its runtime's listener, every user's connection, both ends when in process). */
function openSockets(pid: number): number {
  let sockets = 0
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets += 1
    } catch {
      // Closed between the listing and the look: not open.
    }
  }
  return sockets
}

/**
 * A cancelled tool call stops its work: `session-inspector mcp` as its bin starts it, the SDK's own client over
 * stdio, and the server process's own open sockets as the witness (Linux /proc) that users and runtime are gone.
 */
describe.skipIf(!existsSync('/proc/self/fd'))(
  'session-inspector mcp, cancelled calls',
  { timeout: 90_000 },
  () => {
    const client = new Client({ name: 'mcp-cancellation-test', version: '1.0.0' })
    let server: McpServerProcess
    let pid = 0

    beforeAll(async () => {
      server = await connectMcpServer(client)
      pid = server.pid
    }, 60_000)

    afterAll(async () => {
      await client.close()
      expect(
        server.clientErrors.map((error) => error.message),
        server.stderr()
      ).toEqual([])
    })

    /** Starts a call (no progress asked: nothing may arrive for it once cancelled), then cancels it once `busy`. */
    async function cancelOnce(
      name: string,
      args: Record<string, unknown>,
      busy: (sockets: number) => boolean
    ): Promise<void> {
      const controller = new AbortController()
      const call = client.callTool({ name, arguments: args }, undefined, {
        signal: controller.signal,
        timeout: 80_000
      })
      call.catch(() => {})
      await expect.poll(() => openSockets(pid), { timeout: 30_000, interval: 50 }).toSatisfy(busy)
      controller.abort('the test cancels it')
      await expect(call).rejects.toThrow()
    }

    async function listScenarios(): Promise<CallToolResult> {
      return (await client.callTool({ name: 'list_scenarios', arguments: {} })) as CallToolResult
    }

    it('a cancelled run_load closes its users and runtime and the server answers the next call', async () => {
      const idle = openSockets(pid)
      // 100 users x 10,000 runs: about a million runs, far longer than the wait below when nothing stops them.
      await cancelOnce('run_load', { users: 100, runs: 10_000, pool: 'in-process' }, (n) => n >= idle + 200)
      const listed = await listScenarios()
      expect(listed.isError).not.toBe(true)
      await expect.poll(() => openSockets(pid), { timeout: 10_000, interval: 50 }).toBe(idle)
    })

    it('a cancelled run_target closes every connection to the backend', async () => {
      // Each run's steps 20 s apart: the runs would hold their connections for the file's whole runMs (30 s).
      const backend = await startSampleBackend({ stepMs: 20_000 })
      try {
        const idle = openSockets(pid)
        await cancelOnce(
          'run_target',
          { target: EXAMPLE_PATH, users: 20, runs: 5, url: `${backend.url}?room={{room}}` },
          (n) => n >= idle + 20
        )
        expect((await listScenarios()).isError).not.toBe(true)
        await expect.poll(() => openSockets(pid), { timeout: 10_000, interval: 50 }).toBe(idle)
      } finally {
        await backend.close()
      }
    })
  }
)
