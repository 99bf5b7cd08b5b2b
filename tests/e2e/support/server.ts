import {
  sendCommand as sendToServer,
  startInspector,
  type InspectorServerOptions
} from 'session-inspector/playwright'
import type { Command } from '../../../src/shared/inspectorApi'

export interface InspectorServer {
  /** The URL `serve` printed first, with its per-launch token. */
  url: string
  stop(): Promise<void>
}

/**
 * Starts `session-inspector serve` on a free port with the package's own launcher (the one the published fixture
 * uses: its own process group, stopped whole), so these tests and users' tests start it the same way.
 */
export function startInspectorServer(options: InspectorServerOptions = {}): Promise<InspectorServer> {
  return startInspector(options)
}

/** Sends one command over the control channel, as the UI does, and resolves with its reply's result. */
export function sendCommand(url: string, command: Command): Promise<unknown> {
  const page = new URL(url)
  return sendToServer({ port: Number(page.port), token: page.searchParams.get('token') ?? '' }, command)
}
