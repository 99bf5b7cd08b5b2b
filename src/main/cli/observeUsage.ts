/** Kept apart from the command so the CLI's usage text does not load the relay. */
export const OBSERVE_USAGE = `observe --upstream ws://HOST:PORT [--listen PORT] --user-from RULE [--user-from RULE]... [--owner-id POINTER]... [--no-canaries] [--record FILE] [--json]
  A proxy on 127.0.0.1 between your real clients and your backend: point them at the URL it prints first. Every
  connection is attributed to a user by the rules (header:NAME, cookie:NAME, query:NAME, jwt:CLAIM@header:NAME,
  json:/pointer@first-message) and every server->client message reaching the wrong user is flagged. SIGINT or
  SIGTERM stops it and prints the summary (docs/observe-mode.md).
  Exit: 0 clean, 1 a leak, 5 the upstream unreachable, 2 bad arguments.`
