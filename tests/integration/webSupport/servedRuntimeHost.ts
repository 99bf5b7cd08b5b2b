import { afterAll, beforeAll } from 'vitest'
import {
  createRuntimeHost,
  type RuntimeHost,
  type RuntimeHostOptions
} from '../../../src/main/host/runtimeHost'
import { startWebServer, type WebServer, type WebServerOptions } from '../../../src/main/host/web'
import { createStaticRoot } from './staticRoot'

export interface ServedRuntimeHost {
  readonly host: RuntimeHost
  readonly web: WebServer
  readonly staticRoot: ReturnType<typeof createStaticRoot>
}

/**
 * A real runtime host behind the web-mode server, as `serve` runs it: started before a file's tests, closed after
 * them. Read `host` and `web` inside tests (they exist once beforeAll has run).
 */
export function serveRuntimeHost(
  options: { host?: RuntimeHostOptions; web?: Partial<WebServerOptions> } = {}
): ServedRuntimeHost {
  const staticRoot = createStaticRoot()
  let host: RuntimeHost | null = null
  let web: WebServer | null = null
  beforeAll(async () => {
    host = await createRuntimeHost({ stepDelayMs: 0, flushMs: 10, ...options.host })
    web = await startWebServer({ log: () => {}, ...options.web, host, staticDir: staticRoot.root })
  })
  afterAll(async () => {
    await web?.close()
    await host?.close()
    staticRoot.remove()
  })
  const started = <T>(value: T | null, name: string): T => {
    if (value === null) throw new Error(`${name} is read before beforeAll started it`)
    return value
  }
  return {
    get host() {
      return started(host, 'host')
    },
    get web() {
      return started(web, 'web')
    },
    staticRoot
  }
}
