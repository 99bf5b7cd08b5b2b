import { z } from 'zod'
import { startWebServer } from '../host/web'
import { RendererNotBuiltError } from '../host/web/staticFiles'
import { CliUsageError } from './cliError'
import { nextStopSignal } from './nextStopSignal'
import { createRuntimeHost } from '../host/runtimeHost'
import { TOKEN_PATTERN, TOKEN_RULE } from '../host/web/token'
import { intFlag, parseCommandArgs } from './parseCommandArgs'

const serveArgsSchema = z.strictObject({
  port: intFlag(z, 0, 65_535).default(0),
  seed: intFlag(z, 0, 2 ** 31 - 1).default(1),
  static: z.string().min(1).optional(),
  'step-delay': intFlag(z, 0, 10_000).default(120),
  token: z.string().regex(TOKEN_PATTERN, `must be ${TOKEN_RULE}`).optional(),
  json: z.boolean().default(false),
  positionals: z.array(z.string()).max(0, 'serve takes no positional arguments')
})

/** How long serve may take to close after SIGINT or SIGTERM before it exits regardless. */
export const SHUTDOWN_DEADLINE_MS = 3_000
/** serve's exit code when it had to stop at the deadline; 0 when it closed everything in time. */
export const EXIT_SHUTDOWN_FORCED = 1

/** Web mode: the same UI as the Electron window, served to a browser on 127.0.0.1. Runs until interrupted. */
export async function serveCommand(argv: string[], print: (line: string) => void): Promise<number> {
  const args = parseCommandArgs(
    'serve',
    argv,
    {
      port: { type: 'string' },
      seed: { type: 'string' },
      static: { type: 'string' },
      'step-delay': { type: 'string' },
      token: { type: 'string' },
      json: { type: 'boolean' }
    },
    serveArgsSchema
  )
  const host = await createRuntimeHost({ seed: args.seed, stepDelayMs: args['step-delay'] })
  let web
  try {
    web = await startWebServer({
      host,
      port: args.port,
      ...(args.static ? { staticDir: args.static } : {}),
      ...(args.token ? { token: args.token } : {})
    })
  } catch (error) {
    await host.close()
    throw asUsageError(error, args.port)
  }
  // Listening for the stop before the first line: a script may signal as soon as it has read it.
  const stopped = nextStopSignal()
  // The first line is for scripts and tests: the page, its token, and the process to stop.
  if (args.json) {
    print(JSON.stringify({ url: web.url, port: web.port, token: web.token, pid: process.pid }))
    console.error('Session Inspector web mode: open the url above. Ctrl+C stops.')
  } else {
    print(web.url)
    print('Session Inspector web mode: open the URL above. Ctrl+C stops.')
  }
  const signal = await stopped
  // Commands still in flight (a runtime rebooting, users connecting) must not keep the process alive.
  const deadline = setTimeout(() => {
    console.error(
      `serve: still closing ${SHUTDOWN_DEADLINE_MS} ms after ${signal}; exiting with ${EXIT_SHUTDOWN_FORCED}`
    )
    process.exit(EXIT_SHUTDOWN_FORCED)
  }, SHUTDOWN_DEADLINE_MS)
  try {
    await web.close()
    await host.close()
  } finally {
    // The process now ends when nothing holds it; whatever still does meets the deadline.
    deadline.unref()
  }
  return 0
}

/** What the user can fix (no built renderer, a taken port) is said in one line with exit 2, not as a stack. */
function asUsageError(error: unknown, port: number): unknown {
  if (error instanceof RendererNotBuiltError) return new CliUsageError(`--static: ${error.message}`)
  const code = (error as NodeJS.ErrnoException | null)?.code
  if (code === 'EADDRINUSE') return new CliUsageError(`--port: 127.0.0.1:${port} is already in use`)
  if (code === 'EACCES') return new CliUsageError(`--port: not allowed to listen on 127.0.0.1:${port}`)
  return error
}
