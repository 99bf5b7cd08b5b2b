/** Kept apart from the commands so the CLI's usage text does not load them. */
export const OBSERVE_HAR_USAGE = `observe --har FILE [--har FILE]... --user-from RULE [--user-from RULE]... [--owner-id POINTER]... [--no-canaries] [--record FILE] [--json]
  Audits the WebSocket sessions of HAR files (Chrome DevTools' export, Playwright's recordHar) with the same rules
  as the live proxy: each entry's request is attributed, every received message judged. Several files (one per
  browser context) are audited as one session, in time order (docs/observe-mode.md).
  Exit: 0 clean, 1 a leak, 2 bad arguments or a file that is not HAR.`

export const HAR_USAGE = `har <recording.ndjson> --out FILE.har
  Exports a recording (observe, load, target) as a HAR 1.2 file in the form Chrome DevTools and Playwright's
  recordHar write (Chrome DevTools imports it): one entry per connection with its messages in _webSocketMessages
  (docs/observe-mode.md).
  Exit: 0 written, 2 bad arguments or a file that is not a recording.`
