import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'

/** `session-inspector mcp` in a process of its own, as an agent's client starts it, connected to a test's client. */
export interface McpServerProcess {
  /** Everything the server has written to stderr so far. */
  stderr(): string
  /** Protocol errors the client saw: anything on the server's stdout that is not a protocol message. */
  readonly clientErrors: Error[]
  readonly pid: number
}

/** Starts the CLI's MCP server over stdio and connects `client` to it. */
export async function connectMcpServer(client: Client): Promise<McpServerProcess> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['bin/session-inspector.mjs', 'mcp'],
    cwd: process.cwd(),
    stderr: 'pipe'
  })
  let stderr = ''
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const clientErrors: Error[] = []
  client.onerror = (error) => clientErrors.push(error)
  await client.connect(transport)
  return { stderr: () => stderr, clientErrors, pid: transport.pid ?? 0 }
}
