import type { FrameDirection } from './relayObserver'

type PerDirection = Record<FrameDirection, number>

const perDirection = (): PerDirection => ({ client_to_server: 0, server_to_client: 0 })

/** What the relay counted: bounded counters, nothing kept per frame. */
export class RelayStats {
  /** WebSocket connections the upstream accepted (101) and the relay joined to their client. */
  connections = 0
  /** Of those, still open. */
  open = 0
  /** Upgrade requests the upstream answered with something other than 101 (relayed to the client as is). */
  upgradesRefused = 0
  /** Upgrade or HTTP requests the upstream could not be reached for (answered 502 by the relay). */
  upstreamFailures = 0
  /** Plain HTTP requests passed through. */
  httpRequests = 0
  readonly bytes = perDirection()
  readonly frames = perDirection()
  readonly messages = perDirection()
  /** Messages relayed but not judged: over the reassembly bound. */
  tooLarge = 0
  /** Connection directions whose bytes stopped being WebSocket frames (garbage): relayed, not judged after. */
  undecodable = 0

  snapshot(): RelaySnapshot {
    return {
      connections: this.connections,
      open: this.open,
      upgradesRefused: this.upgradesRefused,
      upstreamFailures: this.upstreamFailures,
      httpRequests: this.httpRequests,
      bytes: { ...this.bytes },
      frames: { ...this.frames },
      messages: { ...this.messages },
      tooLarge: this.tooLarge,
      undecodable: this.undecodable
    }
  }
}

export interface RelaySnapshot {
  connections: number
  open: number
  upgradesRefused: number
  upstreamFailures: number
  httpRequests: number
  bytes: PerDirection
  frames: PerDirection
  messages: PerDirection
  tooLarge: number
  undecodable: number
}
