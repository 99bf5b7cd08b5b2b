import { Agent, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { passThrough } from './httpPassThrough'
import { OrderedDelivery } from './orderedDelivery'
import type { RelayContext } from './relayedConnection'
import type { RelayObserver } from './relayObserver'
import { RelayStats, type RelaySnapshot } from './relayStats'
import { relayUpgrade, type LiveRelays } from './upgradeRelay'
import type { UpstreamTarget } from './upstreamTarget'

/** The largest message the tap reassembles (after inflation) by default: larger ones are relayed, not judged. */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024
/** How much the taps may hold (messages awaiting their turn, compressed bytes awaiting zlib) before the relay waits. */
const TAP_HIGH_WATER_BYTES = 32 * 1024 * 1024

export interface ObserveProxyOptions {
  readonly upstream: UpstreamTarget
  readonly observer: RelayObserver
  /** 0 (default) for a free port. Always on 127.0.0.1. */
  readonly port?: number
  /** Default DEFAULT_MAX_MESSAGE_BYTES. */
  readonly maxMessageBytes?: number
  /** Told when the observer throws; the relay goes on. Default: the first one printed to stderr. */
  readonly onObserverError?: (error: unknown) => void
}

export interface ObserveProxy {
  /** `ws://127.0.0.1:PORT`: where clients connect instead of the upstream. */
  readonly url: string
  readonly port: number
  stats(): RelaySnapshot
  /**
   * Stops listening and ends every relayed connection and HTTP exchange at once, then resolves when the observer
   * has been told everything, each connection's close included.
   */
  close(): Promise<void>
}

/** A reverse proxy on 127.0.0.1 between real clients and a real backend that shows the observer every message. */
export async function startObserveProxy(options: ObserveProxyOptions): Promise<ObserveProxy> {
  const stats = new RelayStats()
  let observerFailures = 0
  // Printed once: an observer that fails on one message usually fails on every one after it.
  const onObserverError =
    options.onObserverError ??
    ((error: unknown) => {
      if (observerFailures++ === 0)
        console.error(
          `observe: the observer failed (further failures not printed): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`
        )
    })
  const context: RelayContext = {
    observer: options.observer,
    delivery: new OrderedDelivery(TAP_HIGH_WATER_BYTES, onObserverError),
    stats,
    maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES
  }
  const live: LiveRelays = { connections: new Set(), pending: new Set() }
  const agent = new Agent({ keepAlive: true })
  // No limit on how long a request body may take (Node's default is 5 minutes): a slow upload is the backend's call.
  const server = createServer({ noDelay: true, requestTimeout: 0 }, (req, res) =>
    passThrough(options.upstream, agent, stats, req, res)
  )
  server.on('upgrade', (req, socket, head) =>
    relayUpgrade(options.upstream, context, live, req, socket, head)
  )
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  let closing: Promise<void> | null = null
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    stats: () => stats.snapshot(),
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
        for (const pending of live.pending) pending.destroy()
        for (const connection of live.connections) connection.destroy()
        server.closeAllConnections()
        agent.destroy()
        await stopped
        await Promise.all([...live.connections].map((connection) => connection.finished))
        await context.delivery.idle()
      })()
      return closing
    }
  }
}
