import { CliUsageError } from './cli/cliError'
import { HAR_USAGE, OBSERVE_HAR_USAGE } from './cli/harUsage'
import { LIST_USAGE, listCommand } from './cli/listCommand'
import { LOAD_USAGE, loadCommand } from './cli/loadCommand'
import { MCP_USAGE } from './cli/mcpUsage'
import { MERGE_USAGE } from './cli/mergeUsage'
import { OBSERVE_USAGE } from './cli/observeUsage'
import { RUN_USAGE, runCommand } from './cli/runCommand'
import { SCAN_USAGE } from './cli/scanUsage'
import { SERVE_USAGE } from './cli/serveUsage'
import { TARGET_USAGE, targetCommand } from './cli/targetCommand'
import { quietClosedStdout } from './cli/quietClosedStdout'

const USAGE = `session-inspector <command> [options]

Commands:
  ${LOAD_USAGE.split('\n').join('\n  ')}
  ${LIST_USAGE.split('\n').join('\n  ')}
  ${RUN_USAGE.split('\n').join('\n  ')}
  ${TARGET_USAGE.split('\n').join('\n  ')}
  ${MERGE_USAGE.split('\n').join('\n  ')}
  ${SCAN_USAGE.split('\n').join('\n  ')}
  ${SERVE_USAGE.split('\n').join('\n  ')}
  ${OBSERVE_USAGE.split('\n').join('\n  ')}
  ${OBSERVE_HAR_USAGE.split('\n').join('\n  ')}
  ${HAR_USAGE.split('\n').join('\n  ')}
  ${MCP_USAGE.split('\n').join('\n  ')}
  help
      This text.`

type CommandRunner = (argv: string[], print: (line: string) => void) => Promise<number>

const COMMANDS: Record<string, () => Promise<CommandRunner>> = {
  load: async () => loadCommand,
  list: async () => listCommand,
  run: async () => runCommand,
  target: async () => targetCommand,
  merge: async () => (await import('./cli/mergeCommand')).mergeCommand,
  scan: async () => (await import('./cli/scanCommand')).scanCommand,
  serve: async () => (await import('./cli/serveCommand')).serveCommand,
  mcp: async () => (await import('./cli/mcpCommand')).mcpCommand,
  observe: async () => (await import('./cli/observeCommand')).observeCommand,
  har: async () => (await import('./cli/harCommand')).harCommand
}

export async function main(argv: string[], print = (line: string) => console.log(line)): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    print(USAGE)
    return name ? 0 : 2
  }
  const command = COMMANDS[name]
  if (!command) {
    console.error(`unknown command '${name}'. Commands: ${Object.keys(COMMANDS).join(', ')}, help`)
    return 2
  }
  try {
    return await (
      await command()
    )(rest, print)
  } catch (error) {
    if (error instanceof CliUsageError) {
      console.error(error.message)
      const usage: Record<string, string> = {
        load: LOAD_USAGE,
        list: LIST_USAGE,
        run: RUN_USAGE,
        target: TARGET_USAGE,
        merge: MERGE_USAGE,
        scan: SCAN_USAGE,
        serve: SERVE_USAGE,
        mcp: MCP_USAGE,
        observe: rest.includes('--har') ? OBSERVE_HAR_USAGE : OBSERVE_USAGE,
        har: HAR_USAGE
      }
      console.error(`usage: session-inspector ${usage[name]?.split('\n')[0] ?? name}`)
      return error.exitCode
    }
    throw error
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))
if (invokedDirectly) {
  quietClosedStdout()
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code
    },
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error))
      process.exitCode = 1
    }
  )
}
