import { readFile } from 'node:fs/promises'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { z } from 'zod'
import { createInspectorMcpServer } from '../mcp/inspectorMcpServer'
import { parseCommandArgs } from './parseCommandArgs'

const mcpArgsSchema = z.strictObject({
  positionals: z.array(z.string()).max(0, 'mcp takes no arguments')
})

/** Serves MCP on stdin/stdout until stdin closes (the client went away). */
export async function mcpCommand(argv: string[]): Promise<number> {
  parseCommandArgs('mcp', argv, {}, mcpArgsSchema)
  // stdout is the protocol's: a stray console.log anywhere in the process would corrupt it, so it goes to stderr.
  console.log = console.error
  console.info = console.error
  console.debug = console.error
  const server = createInspectorMcpServer(await packageVersion())
  server.server.onerror = (error) => console.error(`mcp: ${error.message}`)
  const stdinClosed = new Promise<void>((resolve) => {
    process.stdin.once('end', resolve)
    process.stdin.once('close', resolve)
  })
  await server.connect(new StdioServerTransport())
  console.error('session-inspector mcp: serving MCP on stdio; it stops when stdin closes')
  await stdinClosed
  await server.close()
  return 0
}

async function packageVersion(): Promise<string> {
  const text = await readFile(new URL('../../../package.json', import.meta.url), 'utf8')
  const parsed = z.object({ version: z.string() }).safeParse(JSON.parse(text))
  return parsed.success ? parsed.data.version : '0.0.0'
}
