import { z } from 'zod'
import { startWebServer } from '../host/web'
import { createRuntimeHost } from '../host/runtimeHost'
import { intFlag, parseCommandArgs } from './parseCommandArgs'

const serveArgsSchema = z.strictObject({
  port: intFlag(z, 0, 65_535).default(0),
  seed: intFlag(z, 0, 2 ** 31 - 1).default(1),
  static: z.string().min(1).optional(),
  'step-delay': intFlag(z, 0, 10_000).default(120),
  positionals: z.array(z.string()).max(0, 'serve takes no positional arguments')
})

/** Web mode: the same UI as the Electron window, served to a browser on 127.0.0.1. Runs until interrupted. */
export async function serveCommand(argv: string[], print: (line: string) => void): Promise<number> {
  const args = parseCommandArgs(
    'serve',
    argv,
    {
      port: { type: 'string' },
      seed: { type: 'string' },
      static: { type: 'string' },
      'step-delay': { type: 'string' }
    },
    serveArgsSchema
  )
  const host = await createRuntimeHost({ seed: args.seed, stepDelayMs: args['step-delay'] })
  let web
  try {
    web = await startWebServer({ host, port: args.port, ...(args.static ? { staticDir: args.static } : {}) })
  } catch (error) {
    await host.close()
    throw error
  }
  // The URL is the first line on purpose: scripts and tests read it to find the page and its token.
  print(web.url)
  print('Session Inspector web mode: open the URL above. Ctrl+C stops.')
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await web.close()
  await host.close()
  return 0
}
