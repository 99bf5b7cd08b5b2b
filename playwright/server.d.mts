export interface InspectorServerOptions {
  /** TCP port on 127.0.0.1; 0 or absent: a free one. With the fixture, worker N uses `port + N`. */
  port?: number
  /** `serve --token`: 32 to 128 characters of A-Z a-z 0-9 _ -. Default: a fresh one per launch. */
  token?: string
  /** `serve --seed`. Default 1. */
  seed?: number
  /** `serve --step-delay`: milliseconds between a run's five events. Default 120. */
  stepDelayMs?: number
  /** The built renderer. Default: the package's own `out/renderer` (`npm run build:web`). */
  staticDir?: string
  /** How long to wait for serve's first line. Default 60 000 ms. */
  startTimeoutMs?: number
}

/** A command of the control channel (docs: src/shared/inspectorApi.ts), e.g. `{ cmd: 'add_users', count: 2 }`. */
export interface ControlCommand {
  cmd: string
  [field: string]: unknown
}

/** A running `serve --json`: its first line, and how to stop it. */
export interface InspectorServer {
  url: string
  port: number
  token: string
  /** The server's pid, leader of its own process group. */
  pid: number
  /** SIGTERM to the whole process group, SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>
  send(command: ControlCommand): Promise<unknown>
  /** The last 4 000 characters of its stderr. */
  output(): string
}

/** Starts `session-inspector serve --json` and resolves once its first line has been read. */
export declare function startInspector(options?: InspectorServerOptions): Promise<InspectorServer>

/** One command over the control channel; resolves with its result, rejects with the runtime's error. */
export declare function sendCommand(
  server: Pick<InspectorServer, 'port' | 'token'>,
  command: ControlCommand
): Promise<unknown>
